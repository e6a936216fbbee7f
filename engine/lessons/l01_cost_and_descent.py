"""Lesson 1: the cost function and gradient descent, on the articles' house prices."""
from __future__ import annotations

import numpy as np

from ._engine import descend
from .lesson import Lesson, per_seed, rule
from .measures import eigen_errors, house_surface

CONFIG = {"dataset": "house", "points": 100, "noise": 0.05, "features": ["x1"], "hidden": [],
          "loss": "mse", "optimizer": "sgd", "learning_rate": 0.05, "batch_size": 50}
SMOOTH = 0.4           # the rate as a share of the limit 2 / lam_max
STEPS = 100
FLOOR = 1e-8           # errors below this are too close to rounding to show a contraction


def one_seed(seed: int) -> dict:
    s = house_surface(CONFIG, seed)
    lam = np.linalg.eigvalsh(s.hessian)
    lr = SMOOTH * 2.0 / lam[-1]
    path = descend(s, [s.start], "sgd", lr, 4 * STEPS)["path"][:, 0]
    lam, E = eigen_errors(s, path)
    # a per-direction ratio needs no fit (walkers.measured_rate), so it only skips errors at the floor
    ok = np.abs(E[:-1]) > FLOOR
    ratio = E[1:][ok] / E[:-1][ok]
    theory = np.broadcast_to(1.0 - lr * lam, E[:-1].shape)[ok]
    near = np.linalg.norm(path - s.minima[0], axis=1) <= 1e-3
    return {"contraction_vs_theory": np.abs(ratio - theory).max(),
            "steps_to_minimum": float(np.argmax(near)) if near.any() else float("inf")}


measure = per_seed(one_seed)


LESSON = Lesson(
    id="cost-and-descent", number=1,
    title={"en": "Cost function and gradient descent", "zh": "成本函数与梯度下降"},
    config=CONFIG, seed=1,
    view={"panels": ["house", "landscape"], "epochs": None,
          "landscape": {"mode": "path", "surface": "house", "optimizer": "sgd", "lr_preset": "smooth",
                        "steps": STEPS}},
    caption={
        "en": "Each point is a house, its price against its distance from the centre; the line is the model "
              "and each vertical bar is its error ŷ−y, whose squares, averaged, are the cost. "
              "Beside it the cost of every (w, b) is a bowl, and gradient descent walks down it: every step "
              "shrinks the error along each axis of the bowl by a fixed factor, 1 − lr·λ for that axis. "
              "Change the learning rate and watch the line and the path move together. "
              "In the articles: 《神经网络是如何学习的？》, sections 成本函数 and 梯度下降.",
        "zh": "每个点是一套房子：横轴是离市中心的距离，纵轴是价格；直线是模型，每条竖线是它的误差 ŷ−y，"
              "误差的平方取平均就是成本。"
              "旁边是成本在所有 (w, b) 上的曲面，像一只碗，梯度下降沿着它往下走：每一步都把误差沿碗的每个主轴"
              "缩小一个固定的倍数（该主轴上是 1 − lr·λ）。"
              "改变学习率，看直线和路径一起移动。"
              "见文章《神经网络是如何学习的？》的“成本函数”和“梯度下降”两节。"},
    source={"article": "how-networks-learn", "section": "成本函数 cost function"},
    claim={"contraction_vs_theory": rule("<=", 1e-3), "steps_to_minimum": rule("<=", STEPS)},
    measure=measure,
)
