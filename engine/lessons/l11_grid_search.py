"""Lesson 11: grid search over the hidden width, over several seeds (the articles' recipe)."""
from __future__ import annotations

import numpy as np

from ._engine import Config, Sweep, SweepGrid
from .lesson import Lesson, rule

CONFIG = {"dataset": "circle", "noise": 0.25, "hidden": [1], "activation": "tanh", "learning_rate": 0.03}
WIDTHS = list(range(1, 9))
EPOCHS = 100
SEEDS = 5                    # on the page's sweep panel


def grid(seeds) -> np.ndarray:
    """Final test loss (seeds, widths) of the sweep the page's sweep panel runs on this lesson's
    stage (engine.sweep): the data and batch order of the first seed, seed i's initial weights from
    seeds[i] (docs/sweep.md, "Seeds"); a seed that diverged is NaN."""
    first = seeds[0]
    if list(seeds) != list(range(first, first + len(seeds))):
        raise ValueError(f"seeds: {seeds!r} is not allowed; allowed: consecutive seeds (a sweep's)")
    g = SweepGrid(Config.from_dict({**CONFIG, "seed": first}), {"hidden_width": WIDTHS}, seeds=len(seeds), epochs=EPOCHS)
    cells = Sweep(g, workers=0).run()["cells"]
    return np.array([[np.nan if r["loss_test"] is None else r["loss_test"] for r in c["seeds"]] for c in cells]).T


def measure(seeds):
    L = grid(seeds)
    winners = np.array(WIDTHS)[L.argmin(axis=1)]
    return {"width1_over_best_loss": (L[:, 0] / L.min(axis=1)).tolist(),
            "best_mean_width": float(WIDTHS[int(L.mean(axis=0).argmin())]),
            "distinct_winners": float(len(set(winners.tolist())))}


LESSON = Lesson(
    id="grid-search", number=11,
    title={"en": "Grid search over the hidden width", "zh": "网格搜索：隐藏层宽度"},
    config=CONFIG, seed=1,
    view={"panels": ["data", "output", "network"], "epochs": EPOCHS,
          "sweep": {"axes": {"hidden_width": WIDTHS}, "seeds": SEEDS, "epochs": EPOCHS}},
    caption={
        "en": "No formula says how many hidden neurons a network needs, so the articles' recipe is to try a few "
              "values and compare: here widths 1 to 8, each trained on five seeds. "
              "One neuron can only draw a straight cut and ends several times worse; from about three on, the "
              "results form a plateau. "
              "On that plateau the winner changes from seed to seed, which is why one run per value is not enough. "
              "In the articles: 《llm神经网络深度学习》, on choosing the number of hidden nodes.",
        "zh": "隐藏层需要几个神经元，没有公式可算，文章给的办法是预设几个候选值，逐个比较：这里是宽度 1 到 8，每个用五个随机种子训练。"
              "一个神经元只能画一条直线，最终的损失要差好几倍；从三个左右开始，结果就连成一片平台。"
              "在平台上，哪个宽度最好会随种子而变，所以每个取值只跑一次是不够的。"
              "见文章《llm神经网络深度学习》中关于隐藏层节点数设计的部分。"},
    source={"article": "deep-learning", "section": "隐藏层的节点数设计"},
    claim={"width1_over_best_loss": rule(">=", 3.0), "best_mean_width": rule(">=", 3),
           "distinct_winners": rule(">=", 2)},
    measure=measure,
)
