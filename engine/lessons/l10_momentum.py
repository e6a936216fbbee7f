"""Lesson 10: momentum in a narrow valley."""
from __future__ import annotations

import numpy as np

from ._engine import descend, surface_named, theory
from .lesson import Lesson, per_seed, rule

CONDITION = 100.0
MOMENTUM = 0.9
TARGET, MAX_STEPS = 1e-6, 3000
BOWL = surface_named("quadratic", condition=CONDITION)
BEST_GD_LR = theory(np.linalg.eigvalsh(BOWL.hessian))["sgd"]["best_lr"]     # 2 / (1 + condition)
MOMENTUM_LR = BOWL.rates["momentum"]                                        # the page's default, 0.5 / condition
CONFIG = {"optimizer": "momentum", "momentum": MOMENTUM}


def steps_to_target(optimizer: str, lr: float, start, **hyper) -> float:
    f = descend(BOWL, [start], optimizer, lr, MAX_STEPS, **hyper)["loss"][:, 0]
    below = f < TARGET
    return float(np.argmax(below)) if below.any() else float("inf")


def start_of(seed: int) -> np.ndarray:
    """A start as far from the minimum as the surface's own, in a direction drawn from the seed."""
    a = np.random.default_rng(seed).uniform(0.0, 2.0 * np.pi)
    return np.hypot(*BOWL.start) * np.array([np.cos(a), np.sin(a)])


def one_seed(seed: int) -> dict:
    start = start_of(seed)
    return {"momentum_over_best_gd_steps": steps_to_target("momentum", MOMENTUM_LR, start, momentum=MOMENTUM)
            / steps_to_target("sgd", BEST_GD_LR, start)}


measure = per_seed(one_seed)


LESSON = Lesson(
    id="momentum", number=10,
    title={"en": "Momentum in a narrow valley", "zh": "窄山谷里的动量"},
    config=CONFIG, seed=1,
    view={"panels": ["landscape"], "epochs": None,
          "landscape": {"mode": "race", "surface": "quadratic", "condition": CONDITION, "momentum": MOMENTUM,
                        "rates": {"sgd": BEST_GD_LR, "momentum": MOMENTUM_LR}, "steps": 500}},
    caption={
        "en": "A valley a hundred times steeper across than along: plain gradient descent, even at its best "
              "learning rate, must take small steps to avoid bouncing off the walls, so it creeps along the floor. "
              "Momentum keeps a running sum of past gradients, so the bounces cancel and the pushes along the floor "
              "add up: it gets there in about a third of the steps or fewer. "
              "Lower the condition to 10 and see the advantage fade. "
              "In the articles: 《llm神经网络深度学习》, on momentum.",
        "zh": "一个横向比纵向陡一百倍的山谷：普通梯度下降即使用最好的学习率，也只能迈小步以免在两壁间反弹，"
              "于是沿着谷底慢慢挪。"
              "动量把过去的梯度累加起来，来回的反弹互相抵消，沿谷底的推动不断叠加：它用的步数只有前者的三分之一甚至更少。"
              "把条件数降到 10，看看这个优势如何消失。"
              "见文章《llm神经网络深度学习》中关于动量（momentum）的部分。"},
    source={"article": "deep-learning", "section": "动量"},
    claim={"momentum_over_best_gd_steps": rule("<=", 1.0 / 3.0)},
    measure=measure,
)
