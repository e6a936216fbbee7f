"""Lesson 5: why non-linearity: a linear network can only draw a straight line."""
from __future__ import annotations

from .lesson import Lesson, per_seed, rule
from .measures import test_accuracy, trained

CONFIG = {"dataset": "circle", "hidden": [4, 2], "activation": "linear", "learning_rate": 0.03}
EPOCHS = 100


measure = per_seed(lambda seed: {f"{a}_test_accuracy": test_accuracy(trained(CONFIG, seed, EPOCHS, activation=a))
                                  for a in ("linear", "tanh", "relu")})


LESSON = Lesson(
    id="nonlinearity", number=5,
    title={"en": "Why non-linearity", "zh": "为什么需要非线性"},
    config=CONFIG, seed=1,
    view={"panels": ["data", "network", "output"], "epochs": EPOCHS,
          "try": [{"activation": "tanh"}, {"activation": "relu"}]},
    caption={
        "en": "With linear activations, every layer is a straight-line map, and stacking them is still one straight "
              "line: however long it trains, this network cannot enclose the circle. "
              "Switch the activation to tanh or relu and train again: the boundary bends around the inner points. "
              "Look at the hidden neurons' maps to see the pieces the output adds up. "
              "In the articles: 《小猫都能懂的大模型原理 1》, section 神经网络, on the non-linear activation.",
        "zh": "激活函数是线性的时候，每一层都只是一个线性变换，叠多少层仍然是一条直线：无论训练多久，这个网络都圈不住那个圆。"
              "把激活函数换成 tanh 或 relu 再训练：边界会弯曲，绕住里面的点。"
              "看看隐藏层每个神经元的图，它们就是输出层拼起来的零件。"
              "见文章《小猫都能懂的大模型原理 1》“神经网络”一节中关于非线性激活函数的部分。"},
    source={"article": "kitten", "section": "神经网络"},
    claim={"linear_test_accuracy": rule("<=", 0.70), "tanh_test_accuracy": rule(">=", 0.95),
           "relu_test_accuracy": rule(">=", 0.95)},
    measure=measure,
)
