"""Lesson 12: training against inference: one forward pass is cheap, training is not."""
from __future__ import annotations

import time

import numpy as np

from ._engine import features_of
from .lesson import Lesson, per_seed, rule
from .measures import trainer

CONFIG = {"dataset": "circle", "hidden": [4, 2], "activation": "tanh", "learning_rate": 0.03}
EPOCHS = 100
REPEATS, CALLS = 9, 200      # REPEATS rounds of CALLS forward passes then CALLS steps


def _seconds(fn) -> float:
    t0 = time.perf_counter()
    for _ in range(CALLS):
        fn()
    return (time.perf_counter() - t0) / CALLS


def timings(seed: int) -> dict:
    """The whole training (seconds), and the medians over rounds of one training step over one
    forward pass and of the whole training over one forward pass. A forward pass is the engine's
    Network.forward of one clicked point (its features computed once); a step is Trainer.run(1):
    a batch forward, backward and the update. Forward passes and steps alternate round by round,
    so a load that changes during the measurement weighs on both alike."""
    t = trainer(CONFIG, seed)
    t0 = time.perf_counter()
    t.run_epochs(EPOCHS)
    whole = time.perf_counter() - t0
    X = features_of(np.array([[1.0, -2.0]]), t.r.features)
    forward, step = [], []
    for _ in range(REPEATS):
        forward.append(_seconds(lambda: t.network.forward(X)))
        step.append(_seconds(lambda: t.run(1)))
    ratio = np.array(step) / np.array(forward)
    return {"whole": whole, "step_over_forward": float(np.median(ratio)),
            "training_over_forward": float(whole / np.median(forward))}


measure = per_seed(timings)


LESSON = Lesson(
    id="training-vs-inference", number=12,
    title={"en": "Training versus inference", "zh": "训练与推理"},
    config=CONFIG, seed=1,
    view={"panels": ["data", "network", "output"], "animate": "inference", "epochs": EPOCHS},
    caption={
        "en": "Once the network is trained, click any point of the input plane: one forward pass lights the network "
              "and shows how long it took, beside the time of one training step. "
              "A training step runs a batch forward, then backward, then updates every weight, so it costs several "
              "forward passes, and training repeats it thousands of times. "
              "That is why training a model is slow and expensive while using it is fast. "
              "In the articles: 《第171期 到底神经网络究竟是如何“学习”的？》, sections 三 and 四.",
        "zh": "网络训练好之后，点击输入平面上任意一点：一次前向传播点亮整个网络，并显示它花了多少时间，旁边是一次训练步骤的时间。"
              "一次训练步骤要让一批数据先前向、再反向，然后更新每个权重，所以相当于好几次前向传播，而训练要重复成千上万次。"
              "这就是为什么训练模型又慢又贵，用起来却很快。"
              "见文章《第171期 到底神经网络究竟是如何“学习”的？》的第三、四节。"},
    source={"article": "exam", "section": "四、既然训练这么慢，为什么ChatGPT用起来这么快？"},
    claim={"step_over_forward": rule(">=", 3.0), "training_over_forward": rule(">=", 1000.0)},
    measure=measure,
)
