"""Lesson 3: local minima, and a crowd walking down the mountain."""
from __future__ import annotations

import numpy as np

from ._engine import Networks, surface_named, walker_crowd
from .lesson import Lesson, per_seed, rule
from .measures import trainer

CONFIG = {"dataset": "circle", "hidden": [3], "activation": "tanh", "learning_rate": 0.03}
WALKERS, WALKER_LR, WALKER_STEPS = 200, 0.01, 500
MODELS, NETWORK_STEPS, SOLVED = 64, 2500, 0.1     # 2500 steps: 100 epochs of 250 points


def one_seed(seed: int) -> dict:
    himmelblau = surface_named("himmelblau")
    c = walker_crowd(himmelblau, walkers=WALKERS, optimizer="sgd", lr=WALKER_LR, steps=WALKER_STEPS,
                     seed=seed, path_every=WALKER_STEPS)
    labels, known = np.array(c["labels"]), len(himmelblau.minima)
    share = np.bincount(labels[labels >= 0], minlength=known)[:known] / WALKERS
    crowd = Networks.from_trainer(trainer(CONFIG, seed), models=MODELS)
    crowd.run(NETWORK_STEPS)
    solved = float((crowd.losses() < SOLVED).mean())
    return {"minima_reached": (share > 0).sum(), "smallest_minimum_share": share.min(),
            "settled_share": (labels >= 0).mean(), "networks_solved_share": solved,
            "networks_stalled_share": 1.0 - solved}


measure = per_seed(one_seed)


LESSON = Lesson(
    id="local-minima", number=3,
    title={"en": "Local minima: a crowd walking down the mountain", "zh": "局部最小值：一群人下山"},
    config=CONFIG, seed=1,
    view={"panels": ["landscape", "data", "output"], "epochs": None,
          "landscape": {"mode": "crowd", "surface": "himmelblau", "optimizer": "sgd",
                        "learning_rate": WALKER_LR, "walkers": WALKERS, "steps": WALKER_STEPS},
          "landscape_try": [{"mode": "networks", "models": MODELS, "steps": NETWORK_STEPS}]},
    caption={
        "en": "Two hundred walkers start at random on a mountain with four valleys, and each simply goes downhill: "
              "every valley gets its share, and where a walker ends depends only on where it started. "
              "Now switch the landscape to a crowd of 64 networks of this shape: most reach a low loss, "
              "but some stall in a worse valley and never leave it. "
              "Gradient descent finds a local minimum, not the best one. "
              "In the articles: 《什么是梯度下降？为什么梯度下降能优化模型？》, on local minima.",
        "zh": "两百个人随机站在一座有四个山谷的山上，每人只管往低处走：每个山谷都有人到达，"
              "走到哪里只取决于从哪里出发。"
              "再把地形切换成 64 个同样结构的网络一起训练：大多数到达很低的损失，但有一些困在更差的山谷里，再也出不来。"
              "梯度下降找到的是局部最小值，不一定是最好的那个。"
              "见文章《什么是梯度下降？为什么梯度下降能优化模型？》中关于局部最小值的部分。"},
    source={"article": "gradient-descent", "section": "局部最小值"},
    claim={"minima_reached": rule(">=", 4), "smallest_minimum_share": rule(">=", 0.10),
           "settled_share": rule(">=", 0.99), "networks_solved_share": rule(">=", 0.50),
           "networks_stalled_share": rule(">=", 0.03)},
    measure=measure,
)
