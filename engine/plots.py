"""Plotly figures of a run, for the offline report and for a notebook user:

    from engine import Trainer, plots
    t = Trainer({"dataset": "spiral", "hidden": [8, 8]}); history = [t.step(100) for _ in range(20)]
    plots.loss_curves(history).show(); plots.decision_map(t).show(); plots.network(t).show()

Figures only read results (reports, the trainer's data, maps and weights); nothing here trains.
Colours are the page's (static/colors.js): orange -1, near-white 0, blue +1, and its class colours.
Every label exists in English and 简体中文 (lang="en" or "zh").
"""
from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go

from .grid import EXTENT

ORANGE, WHITE, BLUE = "rgb(245,147,34)", "rgb(232,234,235)", "rgb(8,119,189)"
CLASS_COLORS = ["rgb(8,119,189)", "rgb(245,147,34)", "rgb(60,170,90)", "rgb(170,80,190)", "rgb(200,60,70)"]
DIVERGING = [[0.0, ORANGE], [0.5, WHITE], [1.0, BLUE]]

TEXT = {
    "en": {"loss_curves": "Loss", "epoch": "epoch", "loss": "loss", "loss_train": "Training loss",
           "loss_test": "Test loss", "accuracy_train": "Training accuracy", "accuracy_test": "Test accuracy",
           "accuracy": "accuracy", "decision_map": "Output over the input plane", "train": "training points",
           "test": "test points", "network": "Network and its weights", "weight": "weight", "bias": "bias",
           "output": "output", "class": "class", "config": "Configuration", "field": "field", "value": "value",
           "layer": "layer", "report": "Learnscape report", "step": "step", "status": "status"},
    "zh": {"loss_curves": "损失", "epoch": "轮次", "loss": "损失", "loss_train": "训练损失",
           "loss_test": "测试损失", "accuracy_train": "训练准确率", "accuracy_test": "测试准确率",
           "accuracy": "准确率", "decision_map": "输入平面上的输出", "train": "训练样本",
           "test": "测试样本", "network": "网络及其权重", "weight": "权重", "bias": "偏置",
           "output": "输出", "class": "类别", "config": "配置", "field": "字段", "value": "值",
           "layer": "层", "report": "Learnscape 报告", "step": "步数", "status": "状态"},
}


def text(lang: str) -> dict:
    if lang not in TEXT:
        raise ValueError(f"lang: unknown {lang!r}; allowed: {', '.join(TEXT)}")
    return TEXT[lang]


def _layout(fig: go.Figure, title: str, **more) -> go.Figure:
    fig.update_layout(title=title, template="plotly_white", margin=dict(l=50, r=20, t=50, b=45), **more)
    return fig


def loss_curves(history: list[dict], lang: str = "en") -> go.Figure:
    """Training and test loss (and accuracy, when there is one) by epoch, from a list of
    ``Trainer.report()`` dicts (or any dicts with epoch, loss_train, loss_test)."""
    T = text(lang)
    epochs = [h["epoch"] for h in history]
    fig = go.Figure()
    for key, color, dash in (("loss_train", BLUE, None), ("loss_test", ORANGE, "dash")):
        fig.add_scatter(x=epochs, y=[_finite(h.get(key)) for h in history], name=T[key], mode="lines",
                        line=dict(color=color, dash=dash))
    if any(h.get("accuracy_test") is not None for h in history):
        for key, color in (("accuracy_train", BLUE), ("accuracy_test", ORANGE)):
            fig.add_scatter(x=epochs, y=[h.get(key) for h in history], name=T[key], mode="lines",
                            line=dict(color=color, width=1, dash="dot"), yaxis="y2")
        fig.update_layout(yaxis2=dict(title=T["accuracy"], overlaying="y", side="right", range=[0, 1]))
    return _layout(fig, T["loss_curves"], xaxis_title=T["epoch"], yaxis_title=T["loss"],
                   legend=dict(orientation="h", y=-0.2))


def _finite(v):
    return v if v is not None and np.isfinite(v) else None


def decision_map(trainer, resolution: int = 80, lang: str = "en") -> go.Figure:
    """The network's output over the [-6, 6]² grid with the training and test points on it:
    the value for binary data and regression, the winning class for multi-class data."""
    T, kind, output = text(lang), trainer.r.kind, trainer.r.output
    axis = np.linspace(-EXTENT, EXTENT, resolution)
    out = trainer.maps(resolution)[-trainer.network.sizes[-1]:]            # the output nodes
    fig = go.Figure()
    if kind == "multiclass":
        k = out.shape[0]
        colors = [CLASS_COLORS[c % len(CLASS_COLORS)] for c in range(k)]
        scale = [[s, colors[min(int(s * k), k - 1)]] for c in range(k) for s in (c / k, (c + 1) / k)]
        fig.add_heatmap(x=axis, y=axis, z=out.argmax(axis=0), zmin=-0.5, zmax=k - 0.5, colorscale=scale,
                        opacity=0.45, colorbar=dict(title=T["class"]), name=T["output"])
    else:
        mid = 0.5 if output == "sigmoid" else 0.0
        z = out[0]
        span = max(float(np.abs(z - mid).max()), 1e-9) if kind == "regression" else 0.5 if output == "sigmoid" else 1.0
        fig.add_heatmap(x=axis, y=axis, z=z, zmin=mid - span, zmax=mid + span, colorscale=DIVERGING,
                        colorbar=dict(title=T["output"]), name=T["output"])
    for part, P, y, line in (("train", trainer.P_train, trainer.y_train, 0.5),
                             ("test", trainer.P_test, trainer.y_test, 2.0)):
        fig.add_scatter(x=P[:, 0], y=P[:, 1], mode="markers", name=T[part],
                        marker=dict(size=6, line=dict(width=line, color="black"), **_point_colors(y, kind)))
    return _layout(fig, T["decision_map"], width=640, height=600,
                   xaxis=dict(range=[-EXTENT, EXTENT], title="x1", constrain="domain"),
                   yaxis=dict(range=[-EXTENT, EXTENT], title="x2", scaleanchor="x", constrain="domain"),
                   legend=dict(orientation="h", y=-0.2))


def _point_colors(y: np.ndarray, kind: str) -> dict:
    if kind == "multiclass":
        return {"color": [CLASS_COLORS[int(c) % len(CLASS_COLORS)] for c in y]}
    if kind == "regression":
        span = max(float(np.abs(y).max()) if len(y) else 1.0, 1e-9)
        return {"color": y, "colorscale": DIVERGING, "cmin": -span, "cmax": span}
    return {"color": [BLUE if v > 0 else ORANGE for v in y]}


def network(trainer, lang: str = "en", bins: int = 5) -> go.Figure:
    """The network drawn as layers of nodes; each weight a line, blue positive, orange negative,
    thicker when larger; hover a line's midpoint for its value, a node for its bias."""
    T, net = text(lang), trainer.network
    names = [list(trainer.r.features)]
    names += [[f"h{l + 1}.{i + 1}" for i in range(s)] for l, s in enumerate(net.sizes[1:-1])]
    names += [[f"{T['output']} {i + 1}" if net.sizes[-1] > 1 else T["output"] for i in range(net.sizes[-1])]]
    pos = [np.column_stack([np.full(s, float(l)), (s - 1) / 2.0 - np.arange(s)]) for l, s in enumerate(net.sizes)]
    top = max((float(np.abs(W).max()) for W in net.W), default=1.0) or 1.0
    fig = go.Figure()
    segments = {}                                            # (sign, width bin) -> x, y with gaps
    mid_x, mid_y, mid_text = [], [], []
    for l, W in enumerate(net.W):
        for i, j in np.ndindex(W.shape):
            w = float(W[i, j])
            a, b = pos[l][j], pos[l + 1][i]
            key = (w >= 0, min(int(abs(w) / top * bins), bins - 1))
            xs, ys = segments.setdefault(key, ([], []))
            xs += [a[0], b[0], None]
            ys += [a[1], b[1], None]
            mid_x.append((a[0] + b[0]) / 2)
            mid_y.append((a[1] + b[1]) / 2)
            mid_text.append(f"W{l}[{i},{j}]: {names[l][j]} → {names[l + 1][i]}<br>{T['weight']} {w:.4g}")
    for (positive, k), (xs, ys) in sorted(segments.items()):
        fig.add_scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                        line=dict(color=BLUE if positive else ORANGE, width=0.5 + 1.5 * k))
    fig.add_scatter(x=mid_x, y=mid_y, mode="markers", text=mid_text, hoverinfo="text", showlegend=False,
                    marker=dict(size=8, opacity=0), name=T["weight"])
    bias = [np.zeros(net.sizes[0])] + list(net.b)
    fig.add_scatter(x=np.concatenate(pos)[:, 0], y=np.concatenate(pos)[:, 1], mode="markers+text",
                    text=[n for layer in names for n in layer], textposition="top center",
                    hovertext=[f"{n}<br>{T['bias']} {b:.4g}" if l else n
                               for l, layer in enumerate(names) for n, b in zip(layer, bias[l])],
                    hoverinfo="text", showlegend=False,
                    marker=dict(size=18, color=np.concatenate(bias), colorscale=DIVERGING, cmid=0.0,
                                line=dict(width=1, color="black")))
    height = 120 + 48 * max(net.sizes)
    return _layout(fig, T["network"], height=min(height, 1600),
                   xaxis=dict(visible=False), yaxis=dict(visible=False))


def config_table(config: dict, lang: str = "en") -> go.Figure:
    """The run's configuration as a two-column table."""
    T = text(lang)
    values = [v if isinstance(v, str) else json.dumps(v) for v in config.values()]
    fig = go.Figure(go.Table(header=dict(values=[T["field"], T["value"]], align="left", height=26),
                             cells=dict(values=[list(config), values], align="left", height=22)))
    return _layout(fig, T["config"], height=130 + 23 * len(config))
