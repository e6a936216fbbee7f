"""Lesson 4: backpropagation, step by step; the displayed gradients are the true ones."""
from __future__ import annotations

import numpy as np

from ._engine import layer_views, loss_named, per_example
from .lesson import Lesson, per_seed, rule
from .measures import trainer

CONFIG = {"dataset": "circle", "hidden": [4, 2], "activation": "tanh", "learning_rate": 0.03, "batch_size": 10}
AFTER = (0, 100)        # check the first batch, and a batch after this many updates
H = 1e-6                # central differences: error about H^2, rounding about 1e-16 / H


def _batch_loss(net, theta, X, Y, loss, output) -> float:
    keep = net.theta.copy()
    np.copyto(net.theta, theta)
    acts = net.activations_of(X)
    Z = acts[-2] @ net.W[-1].T + net.b[-1]
    value = float(per_example(loss, Z, acts[-1], Y, output).mean())
    np.copyto(net.theta, keep)
    return value


def fd_error(config: dict, seed: int, after: int) -> float:
    """The largest difference between the gradients the trainer reports for one batch and central
    finite differences of that batch's mean loss at the weights before the update."""
    t = trainer(config, seed, shuffle=False)          # a fixed order: the next batch is known
    t.run(after)
    net, b = t.network, t.r.batch_size
    start = (after * b) % len(t.X_train)
    X, Y = t.X_train[start:start + b], t.Y_train[start:start + b]
    theta = net.theta.copy()
    t.run(1)
    shown = np.concatenate([np.ravel(g) for g in t.report()["gradients"].values()])
    order = np.concatenate([np.ravel(a) for pair in layer_views(np.arange(net.theta.size), net.sizes) for a in pair])
    loss, fd = loss_named(t.r.loss), np.empty(theta.size)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = H
        fd[i] = (_batch_loss(net, theta + e, X, Y, loss, t.r.output)
                 - _batch_loss(net, theta - e, X, Y, loss, t.r.output)) / (2 * H)
    return float(np.abs(shown - fd[order]).max())


measure = per_seed(lambda seed: {"gradient_vs_finite_differences": max(fd_error(CONFIG, seed, k) for k in AFTER)})


LESSON = Lesson(
    id="backprop", number=4,
    title={"en": "Backpropagation, step by step", "zh": "反向传播，一步一步来"},
    config=CONFIG, seed=1,
    view={"panels": ["network", "grads", "data"], "gradients": True, "animate": "backprop", "epochs": None},
    caption={
        "en": "Watch one batch flow forward through the network layer by layer, then the error flow backward "
              "from the output to the inputs, filling in every weight's gradient as it goes. "
              "Each gradient says how much the cost would change if that weight moved a little; "
              "the numbers shown match a direct measurement to within a millionth. "
              "Step again and see which weights the next batch pushes hardest. "
              "In the articles: 《第171期 到底神经网络究竟是如何“学习”的？》, step 3, learning from mistakes.",
        "zh": "先看一批数据逐层向前流过网络，再看误差从输出层一层层往回传到输入，沿途填好每个权重的梯度。"
              "每个梯度表示：这个权重稍微动一点，成本会变化多少；显示的数值与直接测量的差距在百万分之一以内。"
              "再走一步，看下一批数据最用力地推动了哪些权重。"
              "见文章《第171期 到底神经网络究竟是如何“学习”的？》的“步骤3：从错误中学习（反向传播）”。"},
    source={"article": "exam", "section": "步骤3：从错误中学习（反向传播）"},
    claim={"gradient_vs_finite_differences": rule("<=", 1e-6)},
    measure=measure,
)
