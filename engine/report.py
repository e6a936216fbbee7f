"""``python -m engine report run.json -o report.html``: one HTML file that opens offline.

It trains the run file's network (from its weights, the same run ``python -m engine train``
prints) for ``--epochs``, recording the losses, and writes the configuration, the loss curves,
the decision map with the data and the network with its weights: the figures of engine/plots.py,
with plotly.js inlined from the installed plotly package (template: engine/report.html).
"""
from __future__ import annotations

import html
import math
from pathlib import Path
from string import Template

from plotly.offline import get_plotlyjs

from . import plots
from .trainer import Trainer

TEMPLATE = Path(__file__).with_name("report.html")
SCALARS = ("epoch", "step", "loss_train", "loss_test", "accuracy_train", "accuracy_test", "status")


def record(trainer: Trainer, epochs: int, every: int | None = None) -> list[dict]:
    """Train `epochs` epochs; the scalars of a report at epoch 0, every `every`-th and the last."""
    if epochs < 0:
        raise ValueError(f"epochs: {epochs} is out of range; allowed: a whole number >= 0")
    every = every or max(1, epochs // 100)
    if every < 1:
        raise ValueError(f"every: {every} is out of range; allowed: a whole number >= 1")
    target, history = trainer.epoch + epochs, []
    while True:
        rep = trainer.report()
        history.append({k: rep[k] for k in SCALARS})
        if trainer.epoch >= target or trainer.status != "ok":
            return history
        trainer.run_epochs(min(every, target - trainer.epoch))


def figures(trainer: Trainer, history: list[dict], lang: str = "en") -> list:
    return [plots.config_table(trainer.r.to_dict(), lang), plots.loss_curves(history, lang),
            plots.decision_map(trainer, lang=lang), plots.network(trainer, lang)]


def _number(v) -> str:
    return "-" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{v:.4g}"


def render(trainer: Trainer, history: list[dict], lang: str = "en") -> str:
    """The report as one self-contained HTML document."""
    T, last = plots.text(lang), history[-1]
    summary = [f"{T['step']} {last['step']}", f"{T['epoch']} {last['epoch']}",
               f"{T['loss_train']} {_number(last['loss_train'])}", f"{T['loss_test']} {_number(last['loss_test'])}"]
    if last["accuracy_test"] is not None:
        summary.append(f"{T['accuracy_test']} {_number(last['accuracy_test'])}")
    summary.append(f"{T['status']} {last['status']}")
    divs = [f'<div class="figure">{fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"figure-{k}", config={"displaylogo": False})}</div>'
            for k, fig in enumerate(figures(trainer, history, lang))]
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        lang=lang, title=html.escape(T["report"]), summary=html.escape(" · ".join(summary)),
        plotly=get_plotlyjs(), figures="\n".join(divs))


# -- command line -------------------------------------------------------------------------------
def add_arguments(parser) -> None:
    parser.add_argument("run_file", help="a run file (JSON, docs/engine.md)")
    parser.add_argument("-o", "--output", required=True, metavar="PATH", help="write the HTML report here")
    parser.add_argument("--epochs", type=int, default=100, help="epochs to train (default: 100)")
    parser.add_argument("--every", type=int, default=None,
                        help="record the losses every N epochs (default: about 100 points)")
    parser.add_argument("--lang", choices=sorted(plots.TEXT), default="en", help="language of the labels")


def run(args) -> int:
    from .cli import load_run                      # the one reader of run files
    trainer = Trainer.from_run(load_run(args.run_file))
    history = record(trainer, args.epochs, args.every)
    Path(args.output).write_text(render(trainer, history, args.lang), encoding="utf-8")
    print(f"wrote {args.output}: {_number(history[-1]['loss_test'])} test loss after {trainer.epoch} epochs")
    return 0


if __name__ == "__main__":
    from .export import standalone
    raise SystemExit(standalone(add_arguments, run, prog="python -m engine.report"))
