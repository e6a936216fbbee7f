"""Lesson 2: the learning rate: crawl, smooth, zig-zag and divergence, then on a network."""
from __future__ import annotations

import numpy as np

from ._engine import descend, lr_presets, measured_rate
from .l01_cost_and_descent import CONFIG as HOUSE
from .lesson import Lesson, per_seed, rule
from .measures import eigen_errors, house_surface, train_loss, trained, trainer

CONFIG = {"dataset": "reg-plane", "hidden": [4, 2], "activation": "tanh", "batch_size": 10,
          "learning_rate": 0.1}
STEPS = 60                 # on the exact surface
DIVERGE_BY = 400           # steps of the network at lr 3
EPOCHS = 30
GROWTH = 1e3               # a loss this many times its start has diverged
RATES = {"good": 0.1, "slow": 0.001, "wild": 3.0}


def _flip_share(e: np.ndarray) -> float:
    """The share of steps on which an error (K,) changes sign, while above rounding."""
    live = np.abs(e[:-1]) > 1e-8
    return float((np.sign(e[1:][live]) != np.sign(e[:-1][live])).mean()) if live.any() else 0.0


def diverged_at(config: dict, seed: int, lr: float, steps: int) -> float:
    """The step at which the Trainer found the network diverged (non-finite, or its loss grown to
    trainer.DIVERGENCE_FACTOR times its best; checked every CHECK_EVERY steps), inf if it never did."""
    t = trainer(config, seed, learning_rate=lr)
    with np.errstate(all="ignore"):
        t.run(steps)
    return float("inf") if t.diverged_at is None else float(t.diverged_at)


def one_seed(seed: int) -> dict:
    with np.errstate(all="ignore"):
        s = house_surface(HOUSE, seed)
        runs = {name: descend(s, [s.start], "sgd", lr, STEPS, escape=1e150)
                for name, lr in lr_presets(s).items() if name in ("crawl", "smooth", "zigzag", "diverge")}
        loss = runs["diverge"]["loss"][:, 0]
        steep = {name: eigen_errors(s, r["path"][:, 0])[1][:, -1] for name, r in runs.items()}
        e = steep["crawl"]                # even the steepest direction keeps most of its error
        good, slow = (train_loss(trained(CONFIG, seed, EPOCHS, learning_rate=RATES[k])) for k in ("good", "slow"))
        return {"crawl_steep_contraction": np.abs(e[1:] / e[:-1]).min(),
                "smooth_flip_share": _flip_share(steep["smooth"]),
                "zigzag_flip_share": _flip_share(steep["zigzag"]),
                "diverge_rate": measured_rate(runs["diverge"]["path"][:, 0] - s.minima[0]),
                "diverge_loss_growth": loss.max() / loss[0],
                "network_diverged_at_step": diverged_at(CONFIG, seed, RATES["wild"], DIVERGE_BY),
                "slow_over_good_loss": slow / good}


measure = per_seed(one_seed)


LESSON = Lesson(
    id="learning-rate", number=2,
    title={"en": "The learning rate", "zh": "学习率"},
    config=CONFIG, seed=1,
    view={"panels": ["landscape", "data", "output"], "epochs": EPOCHS,
          "landscape": {"mode": "path", "surface": "house", "optimizer": "sgd", "lr_preset": "zigzag",
                        "lr_presets": ["crawl", "smooth", "zigzag", "diverge"], "steps": STEPS},
          "try": [{"learning_rate": RATES["slow"]}, {"learning_rate": RATES["wild"]}]},
    caption={
        "en": "The learning rate is the length of each step downhill. "
              "On the house surface, try the four rates: a crawl, a smooth descent, a zig-zag across the valley "
              "and, just past 2/λmax, divergence, where every step lands higher than the last. "
              "Then train this network at 0.001, 0.1 and 3: too small barely moves in 30 epochs, too large blows up. "
              "In the articles: 《小猫都能懂的大模型原理 1》, section 训练的方式.",
        "zh": "学习率就是每一步下山迈出的步长。"
              "在房价曲面上试试四个学习率：慢慢爬、平稳下降、在山谷两侧来回“之”字形跳动，以及刚超过 2/λmax 时的发散——"
              "每一步都落得比上一步更高。"
              "再用 0.001、0.1 和 3 训练这个网络：太小，30 个 epoch 几乎不动；太大，损失直接爆炸。"
              "见文章《小猫都能懂的大模型原理 1》的“训练的方式”一节。"},
    source={"article": "kitten", "section": "训练的方式"},
    claim={"crawl_steep_contraction": rule(">=", 0.9), "smooth_flip_share": rule("<=", 0.0),
           "zigzag_flip_share": rule(">=", 1.0), "diverge_rate": rule(">", 1.0),
           "diverge_loss_growth": rule(">=", GROWTH), "network_diverged_at_step": rule("<=", DIVERGE_BY),
           "slow_over_good_loss": rule(">=", 10.0)},
    measure=measure,
)
