"""Lesson 6: activations compared, and why the articles' sign function cannot learn."""
from __future__ import annotations

import numpy as np

from .lesson import Lesson, per_seed, rule
from .measures import test_accuracy, trained, trainer

CONFIG = {"dataset": "spiral", "hidden": [8, 8], "activation": "relu", "optimizer": "adam", "learning_rate": 0.01}
EPOCHS = 300


def sign_run(seed: int) -> tuple[float, float]:
    """(largest change of any hidden-layer weight or bias, test accuracy) after training with sign."""
    t = trainer(CONFIG, seed, activation="sign")
    net = t.network
    hidden = [p.copy() for p in net.W[:-1] + net.b[:-1]]
    t.run_epochs(EPOCHS)
    moved = max(float(np.abs(p - q).max()) for p, q in zip(net.W[:-1] + net.b[:-1], hidden))
    return moved, test_accuracy(t)


def one_seed(seed: int) -> dict:
    moved, sign_accuracy = sign_run(seed)
    return {"relu_test_accuracy": test_accuracy(trained(CONFIG, seed, EPOCHS)),
            "sigmoid_test_accuracy": test_accuracy(trained(CONFIG, seed, EPOCHS, activation="sigmoid")),
            "sign_hidden_weight_change": moved, "sign_test_accuracy": sign_accuracy}


measure = per_seed(one_seed)


LESSON = Lesson(
    id="activations", number=6,
    title={"en": "Activation functions", "zh": "激活函数"},
    config=CONFIG, seed=1,
    view={"panels": ["data", "network", "output"], "gradients": True, "epochs": EPOCHS,
          "try": [{"activation": "sigmoid"}, {"activation": "sign"}]},
    caption={
        "en": "On the spiral, relu learns the two arms while sigmoid, with the same network and steps, "
              "is left far behind. "
              "Now try sign, the step function of the early perceptron in the articles: its slope is zero "
              "everywhere, so no gradient reaches the hidden weights and they never move; only the output layer learns. "
              "That is why networks use smooth activations, whose slope tells each weight which way to go. "
              "In the articles: 《llm神经网络深度学习》, on sgn and sigmoid.",
        "zh": "在螺旋数据上，relu 学会了两条旋臂；同样的网络、同样的步数，sigmoid 却远远落后。"
              "再试试 sign，也就是文章里早期感知器用的阶跃函数：它的斜率处处为零，梯度传不到隐藏层，"
              "隐藏层的权重一点都不会动，只有输出层在学习。"
              "这就是神经网络使用平滑激活函数的原因：斜率告诉每个权重该往哪个方向调。"
              "见文章《llm神经网络深度学习》中关于 sgn 和 sigmoid 函数的部分。"},
    source={"article": "deep-learning", "section": "sgn 函数与 sigmoid 函数"},
    claim={"relu_test_accuracy": rule(">=", 0.90), "sigmoid_test_accuracy": rule("<=", 0.80),
           "sign_hidden_weight_change": rule("==", 0.0), "sign_test_accuracy": rule("<=", 0.75)},
    measure=measure,
)
