"""Digits speed in figures: the articles' 784-16-16-10 network on the bundled MNIST subset.

Training examples/s at batch 32 and 64 (sigmoid hidden, softmax + cross-entropy, SGD) and the
microseconds one image takes through the trained-size network (inference), for the engine and,
in the same run when ``import torch`` works, PyTorch CPU (one thread; float32, its default, and
float64, the engine's precision). Target (issue 9): the engine at least 2x PyTorch's examples/s at
batch 32. torch is no dependency: run this file with an interpreter that has torch and numpy
to get its rows (see docs/performance.md, "Digits").

    .venv/bin/python bench/digits.py [--repeats 9] [--steps 1000] [--quick]
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]   # bench/engine.py is not `engine`
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402

from engine import optimizers  # noqa: E402
from engine.config import Config  # noqa: E402
from engine.tasks.digits import DigitsTask  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_engine", HERE / "engine.py")
bench_engine = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_engine)
timings_us = bench_engine.timings_us                  # runs take turns; (median, best) per step

LR = 0.1
R = Config.from_dict({"dataset": "digits"}).resolved()


def engine_runs(task: DigitsTask, batch: int, rng=None):
    """run(k): k training steps of the engine over the shuffled training set -- the task's batch
    (gather, scale to [0, 1]), forward, softmax-CE delta, backward, SGD update."""
    net = task.model(R)
    opt = optimizers.make("sgd", net.theta.size)
    loss, output = task.loss, task.output
    order = np.random.default_rng(0).permutation(task.n_train)
    starts = list(range(0, task.n_train - batch + 1, batch))
    D = np.empty((batch, 10))
    F = np.empty_like(D)
    lr, scale = np.array(LR), np.array(1.0 / batch)
    state = {"i": 0}

    def run(k):
        i = state["i"]
        for _ in range(k):
            X, Y = task.batch(order[starts[i]:starts[i] + batch], rng)
            A = net.forward(X)
            net.backward(loss.delta_into(net.output_z(batch), A, Y, output, scale, D, F))
            opt.update(net.theta, net.grad, lr)
            i = i + 1 if i + 1 < len(starts) else 0
        state["i"] = i
    return run, net


def torch_runs(task: DigitsTask, batch: int, net, dtype_name: str):
    """The same step in PyTorch CPU (one thread, autograd, torch.optim.SGD, the same initial
    weights, data as tensors made once), or None when torch does not import."""
    try:
        import torch
    except Exception:
        return None
    torch.set_num_threads(1)
    dtype = getattr(torch, dtype_name)
    layers = []
    for l, (W, b) in enumerate(zip(net.W, net.b)):
        lin = torch.nn.Linear(W.shape[1], W.shape[0], dtype=dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b))
        layers += [lin] if l == len(net.W) - 1 else [lin, torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    X = torch.from_numpy(task.U_train / 255.0).to(dtype)
    y = torch.from_numpy(task.y_train)
    order = torch.from_numpy(np.random.default_rng(0).permutation(task.n_train))
    starts = list(range(0, task.n_train - batch + 1, batch))
    state = {"i": 0}

    def run(k):
        i = state["i"]
        for _ in range(k):
            idx = order[starts[i]:starts[i] + batch]
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
            i = i + 1 if i + 1 < len(starts) else 0
        state["i"] = i

    def infer(k):
        x = X[:1]
        with torch.inference_mode():
            for _ in range(k):
                torch.softmax(model(x), dim=1)
    return run, infer


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=9)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--quick", action="store_true", help="a smoke run: 3 repeats of 100 steps")
    a = p.parse_args(argv)
    if a.quick:
        a.repeats, a.steps = 3, 100
    task = DigitsTask(R)
    augmented = DigitsTask(Config.from_dict({"dataset": "digits", "augment": True}).resolved())
    try:
        import torch
        torch_version = torch.__version__
    except Exception:
        torch_version = None
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, "
          f"torch {torch_version or '(does not import here)'}; {os.cpu_count()} cores; "
          f"{a.repeats} x {a.steps} steps per figure; 784-16-16-10 sigmoid, softmax CE, SGD")

    print(f"\n{'training':34s} {'us/step':>8s} {'(best)':>7s} {'examples/s':>11s} {'engine / it':>12s}")
    for batch in (32, 64):
        run, net = engine_runs(task, batch)
        runs, labels = [run], ["engine (NumPy float64)"]
        for dt in ("float32", "float64"):
            t = torch_runs(task, batch, net, dt)
            if t:
                runs.append(t[0])
                labels.append(f"PyTorch CPU {dt}")
        if batch == 32:
            runs.append(engine_runs(augmented, batch, np.random.default_rng(0))[0])
            labels.append("engine, augmentation on")
        results = timings_us(runs, a.steps, a.repeats)
        for label, (med, best) in zip(labels, results):
            print(f"  batch {batch:<3d} {label:24s} {med:8.1f} {best:7.1f} {batch * 1e6 / med:11,.0f}"
                  f" {med / results[0][0]:11.2f}x")

    # inference: one image through the network, as the drawing pad does (softmax included)
    _, net = engine_runs(task, 32)
    x = task.U_test[:1] / 255.0
    canvas = np.kron(task.U_test[0].reshape(28, 28), np.ones((10, 10)))

    def engine_infer(k):
        for _ in range(k):
            net.activations_of(x)

    def pad_infer(k):
        for _ in range(k):
            task.read_pad(net, canvas)

    runs, labels = [engine_infer, pad_infer], ["engine activations_of (1 image)", "engine read_pad (280x280 canvas)"]
    for dt in ("float32", "float64"):
        t = torch_runs(task, 32, net, dt)
        if t:
            runs.append(t[1])
            labels.append(f"PyTorch CPU {dt} (1 image)")
    print(f"\n{'inference':34s} {'us/image':>8s} {'(best)':>7s}")
    for label, (med, best) in zip(labels, timings_us(runs, a.steps, a.repeats)):
        print(f"  {label:32s} {med:8.1f} {best:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
