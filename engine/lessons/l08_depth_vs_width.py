"""Lesson 8: depth against width at (nearly) equal size."""
from __future__ import annotations

from ._engine import param_count
from .lesson import Lesson, per_seed, rule
from .measures import test_accuracy, trained

CONFIG = {"dataset": "spiral", "hidden": [8, 8], "activation": "relu", "optimizer": "adam", "learning_rate": 0.01}
WIDE = [24]
EPOCHS = 300
PARAMETERS = {"deep": param_count([2, *CONFIG["hidden"], 1]), "wide": param_count([2, *WIDE, 1])}   # 105, 97


measure = per_seed(lambda seed: {"deep_minus_wide_test_accuracy": test_accuracy(trained(CONFIG, seed, EPOCHS))
                                  - test_accuracy(trained(CONFIG, seed, EPOCHS, hidden=WIDE))})


LESSON = Lesson(
    id="depth-vs-width", number=8,
    title={"en": "Depth versus width", "zh": "深度与宽度"},
    config=CONFIG, seed=1,
    view={"panels": ["data", "network", "output"], "epochs": EPOCHS, "try": [{"hidden": WIDE}]},
    caption={
        "en": f"Two hidden layers of 8 ({PARAMETERS['deep']} parameters) against one layer of 24 "
              f"({PARAMETERS['wide']} parameters): on the spiral with relu, the deeper network wins clearly on every seed, "
              "because its second layer combines the first layer's folds into new ones. "
              "It is not a law: with tanh and about 57 parameters, the wide network wins instead. "
              "Try both shapes and compare the hidden neurons' maps. "
              "In the articles: 《llm神经网络深度学习》, on deeper networks with the same number of parameters.",
        "zh": f"两层各 8 个神经元（{PARAMETERS['deep']} 个参数）对比一层 24 个神经元（{PARAMETERS['wide']} 个参数）："
              "在螺旋数据上用 relu，更深的网络在每个随机种子上都明显胜出，因为第二层能把第一层折出的形状再组合成新的形状。"
              "这不是定律：换成 tanh、参数约 57 个时，反而是宽的网络赢。"
              "两种结构都试一试，比较隐藏神经元的图。"
              "见文章《llm神经网络深度学习》中参数数量相同、层次“更深”的网络那一部分。"},
    source={"article": "deep-learning", "section": "多层神经网络（更深的层次）"},
    claim={"deep_minus_wide_test_accuracy": rule(">=", 0.10)},
    measure=measure,
)
