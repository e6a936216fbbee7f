"""Lesson 9: overfitting, and two cures: L2 and dropout; early stopping marks the best epoch."""
from __future__ import annotations

import numpy as np

from .lesson import Lesson, per_seed, rule
from .measures import trainer

CONFIG = {"dataset": "circle", "noise": 0.5, "points": 100, "hidden": [8, 8, 8], "activation": "tanh",
          "optimizer": "adam", "learning_rate": 0.01}
EPOCHS, BEST_BY = 300, 100
CURES = {"l2": {"regularization": "l2", "reg_rate": 0.03}, "dropout": {"regularization": "dropout", "reg_rate": 0.2}}


def run(seed: int, **changes) -> tuple[list[float], float]:
    """(test loss after every epoch, final test-train loss gap), from the Trainer's per-epoch history."""
    t = trainer(CONFIG, seed, **changes)
    t.run_epochs(EPOCHS, evaluate=True)
    history = [h["loss_test"] for h in t.history]
    return history, history[-1] - t.history[-1]["loss_train"]


def one_seed(seed: int) -> dict:
    history, gap = run(seed)
    return {"best_test_epoch": np.argmin(history) + 1, "final_over_best_test_loss": history[-1] / min(history),
            **{f"{name}_gap_shrink": gap - run(seed, **changes)[1] for name, changes in CURES.items()}}


measure = per_seed(one_seed)


LESSON = Lesson(
    id="overfitting", number=9,
    title={"en": "Overfitting and its cures", "zh": "过拟合与对策"},
    config=CONFIG, seed=1,
    view={"panels": ["data", "output", "network"], "show_test": True, "marks": ["best_epoch"], "epochs": EPOCHS,
          "try": list(CURES.values())},
    caption={
        "en": "Fifty noisy training points and a network with far more weights than it needs: the training loss "
              "keeps falling, but the test loss bottoms out early and then climbs, as the boundary bends around "
              "every noisy point. "
              "The mark on the loss chart is the best epoch, where early stopping would keep the weights. "
              "Now add L2 (0.03) or dropout (0.2) and watch the gap between test and training loss shrink. "
              "In the articles: 《小猫都能懂的大模型原理 1》, section 过拟合, and 《llm神经网络深度学习》, section 正则化.",
        "zh": "只有 50 个带噪声的训练点，网络的权重却多得多：训练损失一直下降，测试损失却很早就到底，然后回升，"
              "因为边界绕着每一个噪声点弯曲。"
              "损失曲线上的标记是最好的 epoch，提前停止（early stopping）就会保留那时的权重。"
              "加上 L2（0.03）或 dropout（0.2），看测试损失和训练损失之间的差距缩小。"
              "见文章《小猫都能懂的大模型原理 1》的“过拟合”一节和《llm神经网络深度学习》的“正则化”一节。"},
    source={"article": "kitten", "section": "过拟合"},
    claim={"best_test_epoch": rule("<=", BEST_BY), "final_over_best_test_loss": rule(">=", 1.25),
           "l2_gap_shrink": rule(">=", 0.10), "dropout_gap_shrink": rule(">=", 0.10)},
    measure=measure,
)
