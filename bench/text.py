"""Text-model speed and learning in figures (issue 10): the default RNN (hidden 128, sequence 32,
batch 32, Adam 2e-3, clipping 5) on the bundled Shakespeare.

1. One training iteration (random windows, forward, BPTT, clipping, Adam), in ms and characters
   per second, for the engine's RNN (float32 compute, its default; and float64), and for PyTorch
   CPU's nn.RNN + nn.Linear of the same sizes (float32 and float64, autograd, torch.optim.Adam,
   clip_grad_norm_) where ``import torch`` works. They take turns, so a busy spell slows all alike;
   a figure is the median of --repeats timings of --steps iterations. Before timing, the bench
   checks that the engine and PyTorch compute the same loss and gradients from the same weights.
2. The validation loss reached after 60 s and 180 s of training the engine's default RNN (the
   clock stops while it evaluates).

    .venv/bin/python bench/text.py [--repeats 7] [--steps 100] [--seconds 60,180] [--all-models] [--quick]
    # with PyTorch, from a separate venv that has torch and numpy:
    PYTHONPATH=. /tmp/torchvenv/bin/python bench/text.py
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]   # this file is not `engine`
sys.path.insert(0, str(HERE.parent))

from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402

from engine.config import Config  # noqa: E402
from engine.tasks.text import TextTask  # noqa: E402
from engine.text import MODELS  # noqa: E402
from engine.text.rnn import RNN  # noqa: E402
from engine.trainer import Trainer  # noqa: E402

H, T, B, LR, CLIP = 128, 32, 32, 2e-3, 5.0
CONFIG = Config.from_dict({"dataset": "shakespeare", "model": "rnn", "hidden": [H], "seq_len": T, "batch_size": B,
                           "optimizer": "adam", "learning_rate": LR, "clip": CLIP, "seed": 0}).resolved()


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def engine_runner(task, dtype, name="rnn"):
    """The one Trainer's run(steps) on this task's data, with a text model of `dtype`."""
    trainer = Trainer(replace(CONFIG, model=name, seed=1), data=task.data_for_run())
    if dtype != trainer.model.dtype:                      # the same model in another working dtype
        trainer.model = trainer.network = MODELS[name](task.corpus.V, hidden=H, seed=0, dtype=dtype)
    return trainer.run


def torch_modules(V, dtype):
    import torch
    rnn = torch.nn.RNN(V, H, batch_first=True, dtype=dtype)
    out = torch.nn.Linear(H, V, dtype=dtype)
    return rnn, out


def torch_loss(torch, rnn, out, x, y, V, dtype):
    h, _ = rnn(torch.nn.functional.one_hot(torch.from_numpy(x).long(), V).to(dtype))
    return torch.nn.functional.cross_entropy(out(h).reshape(-1, V), torch.from_numpy(y).long().reshape(-1))


def torch_runner(task, dtype_name):
    """The same iteration in PyTorch CPU, or None where torch does not import."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    torch.manual_seed(0)
    dtype = getattr(torch, dtype_name)
    V = task.corpus.V
    rnn, out = torch_modules(V, dtype)
    params = list(rnn.parameters()) + list(out.parameters())
    opt = torch.optim.Adam(params, lr=LR)
    rng = np.random.default_rng(1)

    def run(k):
        for _ in range(k):
            x, y = task.random_batch(rng)
            loss = torch_loss(torch, rnn, out, x, y, V, dtype)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, CLIP)
            opt.step()
    return run


def agrees_with_torch(task) -> str:
    """Same weights in both (float64): the loss and every gradient agree to 1e-9 relative."""
    try:
        import torch
    except ImportError:
        return "torch does not import here: not checked"
    V = task.corpus.V
    m = RNN(V, hidden=H, seed=3, dtype=np.float64)
    rnn, out = torch_modules(V, torch.float64)
    p = m.params()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(p["Wx"].T.copy()))
        rnn.weight_hh_l0.copy_(torch.from_numpy(p["Wh"].T.copy()))
        rnn.bias_ih_l0.copy_(torch.from_numpy(p["b"]))
        rnn.bias_hh_l0.zero_()
        out.weight.copy_(torch.from_numpy(p["Why"].T.copy()))
        out.bias.copy_(torch.from_numpy(p["by"]))
    x, y = task.random_batch(np.random.default_rng(5))
    loss = m.gradient((x, y))
    tl = torch_loss(torch, rnn, out, x, y, V, torch.float64)
    tl.backward()
    g = m.grads()
    pairs = [(g["Wx"], rnn.weight_ih_l0.grad.numpy().T), (g["Wh"], rnn.weight_hh_l0.grad.numpy().T),
             (g["b"], rnn.bias_ih_l0.grad.numpy()), (g["Why"], out.weight.grad.numpy().T),
             (g["by"], out.bias.grad.numpy())]
    err = max(np.abs(a - b).max() / np.abs(b).max() for a, b in pairs)
    ok = abs(loss - tl.item()) < 1e-9 * loss and err < 1e-9
    return (f"{'agree' if ok else 'DISAGREE'} (loss {loss:.6f} vs {tl.item():.6f}, "
            f"largest gradient difference {err:.1e})")


def timings_ms(runs, steps, repeats):
    for run in runs:
        run(max(steps // 5, 1))                                   # warm up: buffers, caches
    times = [[] for _ in runs]
    for _ in range(repeats):
        for run, ts in zip(runs, times):
            t0 = time.perf_counter()
            run(steps)
            ts.append((time.perf_counter() - t0) / steps * 1e3)
    return [(statistics.median(ts), min(ts)) for ts in times]


def speed(task, steps, repeats) -> None:
    print(f"engine vs PyTorch: {agrees_with_torch(task)}")
    rows = [("engine RNN, float32 (default)", engine_runner(task, np.float32)),
            ("engine RNN, float64", engine_runner(task, np.float64)),
            ("PyTorch nn.RNN, float32", torch_runner(task, "float32")),
            ("PyTorch nn.RNN, float64", torch_runner(task, "float64"))]
    present = [(label, run) for label, run in rows if run is not None]
    results = timings_ms([run for _, run in present], steps, repeats)
    base = results[0][0]
    print(f"\none iteration, hidden {H}, sequence {T}, batch {B} (median of {repeats} x {steps}; load {load()})")
    print(f"  {'':32s} {'ms/iter':>8s} {'best':>7s} {'chars/s':>9s} {'vs engine':>9s}")
    for (label, _), (med, best) in zip(present, results):
        print(f"  {label:32s} {med:8.2f} {best:7.2f} {B * T / med * 1e3:9,.0f} {med / base:8.2f}x")
    for label, run in rows:
        if run is None:
            print(f"  {label:32s} (torch does not import here)")


def other_models(task, steps, repeats) -> None:
    names = list(MODELS)
    results = timings_ms([engine_runner(task, np.float32, n) for n in names], steps, repeats)
    print(f"\nevery text model of the engine, float32, hidden {H} (median of {repeats} x {steps}; load {load()})")
    for name, (med, best) in zip(names, results):
        print(f"  {name:8s} {MODELS[name](task.corpus.V, hidden=H).size:7,d} parameters {med:8.2f} ms/iter "
              f"(best {best:.2f}) {B * T / med * 1e3:9,.0f} chars/s")


def learning(task, seconds: list[float]) -> None:
    trainer = Trainer(CONFIG, data=task.data_for_run())
    model = trainer.model
    refs = task.references()
    print(f"\nlearning: validation loss (nats/char) by training time; uniform {refs['uniform']:.3f}, "
          f"unigram {refs['unigram']:.3f}; load {load()}")
    clock, chunk = 0.0, 50
    for target in seconds:
        while clock < target:
            t0 = time.perf_counter()
            trainer.run(chunk)
            clock += time.perf_counter() - t0
        r = task.evaluate(model)
        print(f"  {clock:6.1f} s  iteration {trainer.step_count:6d}  ({clock / trainer.step_count * 1e3:.2f} ms/iter)  "
              f"loss_val {r['loss_test']:.3f} ({r['bits_test']:.3f} bits)  loss_train {r['loss_train']:.3f}  "
              f"load {load()}")
    sample = task.extras(model, prompt="\n", temperature=0.8, length=300, seed=0)["sample"]
    print("  sample at temperature 0.8:\n    " + sample.replace("\n", "\n    "))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--seconds", default="60,180", help="training times at which to measure the loss")
    ap.add_argument("--quick", action="store_true", help="a smoke run: few repeats, 5 s of training")
    ap.add_argument("--no-learning", action="store_true")
    ap.add_argument("--all-models", action="store_true", help="also time every text model of the engine")
    a = ap.parse_args()
    if a.quick:
        a.repeats, a.steps, a.seconds = 2, 20, "5"
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} cores, load {load()}")
    try:
        import torch
        print(f"PyTorch {torch.__version__}")
    except ImportError:
        pass
    task = TextTask(CONFIG)
    speed(task, a.steps, a.repeats)
    if a.all_models:
        other_models(task, a.steps, a.repeats)
    if not a.no_learning:
        learning(task, [float(s) for s in a.seconds.split(",")])


if __name__ == "__main__":
    main()
