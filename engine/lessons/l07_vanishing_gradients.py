"""Lesson 7: vanishing gradients in a deep sigmoid network."""
from __future__ import annotations

import numpy as np

from .lesson import Lesson, per_seed, rule
from .measures import trainer

CONFIG = {"dataset": "circle", "hidden": [8] * 6, "activation": "sigmoid", "learning_rate": 0.03}
STEPS = 10


def first_over_last(config: dict, seed: int, activation: str) -> float:
    """The median over the first STEPS updates of |dW first layer| / |dW output layer|."""
    t = trainer(config, seed, activation=activation)
    ratios = []
    for _ in range(STEPS):
        t.run(1)
        dW = t.network.dW
        ratios.append(np.linalg.norm(dW[0]) / np.linalg.norm(dW[-1]))
    return float(np.median(ratios))


measure = per_seed(lambda seed: {f"{a}_first_over_last_gradient": first_over_last(CONFIG, seed, a)
                                  for a in ("sigmoid", "relu")})


LESSON = Lesson(
    id="vanishing-gradients", number=7,
    title={"en": "Vanishing gradients", "zh": "梯度消失"},
    config=CONFIG, seed=1,
    view={"panels": ["grads", "network", "data"], "gradients": True, "epochs": None,
          "try": [{"activation": "relu"}]},
    caption={
        "en": "Six hidden layers of sigmoid: on the per-layer gradient chart, the first layer's gradient is "
              "thousands of times smaller than the output layer's, because each sigmoid layer multiplies the error "
              "by a slope of at most 0.25 on its way back. "
              "The first layers hardly learn at all. "
              "Switch to relu, whose slope is 1 where it is active, and the bars even out. "
              "In the articles: 《小猫都能懂的大模型原理 1》, on vanishing gradients (梯度消失).",
        "zh": "六个 sigmoid 隐藏层：在逐层梯度图上，第一层的梯度比输出层小几千倍，因为误差每往回穿过一层 sigmoid，"
              "就要乘上一个最多 0.25 的斜率。"
              "前面几层几乎学不到东西。"
              "换成 relu（激活时斜率为 1），各层的梯度条就差不多高了。"
              "见文章《小猫都能懂的大模型原理 1》中关于梯度消失的部分。"},
    source={"article": "kitten", "section": "神经网络"},
    claim={"sigmoid_first_over_last_gradient": rule("<=", 1e-3), "relu_first_over_last_gradient": rule(">=", 0.05)},
    measure=measure,
)
