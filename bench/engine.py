"""Engine speed in figures: one training step (forward, backward, update) and the node maps.

For each network it times, in one run so that the figures compare: the engine (its training loop,
``Trainer.run``, or ``Network`` driven directly), a plain NumPy step written here the obvious way
(every intermediate a new array), and the same step in PyTorch CPU when ``import torch`` works.
Each figure is the median of --repeats timings of --steps steps; ratios are to the engine.

    .venv/bin/python bench/engine.py [--repeats 9] [--steps 2000] [--quick]

One BLAS thread is forced below (before NumPy loads): on two cores, threads only add noise.
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

import numpy as np  # noqa: E402

from engine import Network, Trainer, losses, optimizers  # noqa: E402

LR = 0.03


CPU = {}                                                         # run -> median CPU time per step


def timings_us(runs: list, steps: int, repeats: int) -> list[tuple[float, float]]:
    """(median, best) over `repeats` of the time per step of each run(steps), in microseconds.
    The runs take turns, so that a busy spell on the machine slows them all alike. The median of
    the process's CPU time per step goes to CPU[run] (time spent waiting for a core left out)."""
    for run in runs:
        run(max(steps // 10, 1))                                 # warm up: buffers, caches
    times, cpu = [[] for _ in runs], [[] for _ in runs]
    for _ in range(repeats):
        for run, ts, cs in zip(runs, times, cpu):
            t0, c0 = time.perf_counter(), time.process_time()
            run(steps)
            ts.append((time.perf_counter() - t0) / steps * 1e6)
            cs.append((time.process_time() - c0) / steps * 1e6)
    CPU.update({run: statistics.median(cs) for run, cs in zip(runs, cpu)})
    return [(statistics.median(ts), min(ts)) for ts in times]


# -- the three implementations of one step -----------------------------------------------------
class Naive:
    """The textbook step in plain NumPy: every intermediate is a new array, nothing is reused."""

    def __init__(self, sizes, hidden, output, seed=0):
        rng = np.random.default_rng(seed)
        self.W = [rng.uniform(-0.5, 0.5, (o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
        self.b = [np.full(o, 0.1) for o in sizes[1:]]
        self.hidden, self.output = hidden, output

    def step(self, X, Y, lr):
        L = len(self.W)
        Zs, As = [], [X]
        for l, (W, b) in enumerate(zip(self.W, self.b)):
            Z = As[-1] @ W.T + b
            if l < L - 1:
                A = np.tanh(Z) if self.hidden == "tanh" else np.maximum(Z, 0.0)
            elif self.output == "softmax":
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                A = E / E.sum(axis=1, keepdims=True)
            else:
                A = np.tanh(Z)
            Zs.append(Z)
            As.append(A)
        n = len(X)
        if self.output == "softmax":                             # softmax + cross-entropy
            dZ = (As[-1] - Y) / n
        else:                                                    # tanh + half squared error
            dZ = (As[-1] - Y) * (1.0 - As[-1] ** 2) / n
        for l in range(L - 1, -1, -1):
            dW, db = dZ.T @ As[l], dZ.sum(axis=0)
            if l > 0:
                fprime = 1.0 - As[l] ** 2 if self.hidden == "tanh" else (Zs[l - 1] > 0.0)
                dZ = (dZ @ self.W[l]) * fprime
            self.W[l] -= lr * dW
            self.b[l] -= lr * db


def engine_stepper(net: Network, loss_name: str):
    """One step through the engine's public Network API (what a caller without a Trainer does)."""
    loss, opt = losses.get(loss_name), optimizers.make("sgd", net.theta.size)

    def step(X, Y, lr):
        A = net.forward(X)
        dZ = loss.delta(net.output_z(len(X)), A, Y, net.output)
        dZ *= 1.0 / len(X)
        net.backward(dZ)
        opt.update(net.theta, net.grad, lr)
    return step


def torch_stepper(naive: Naive):
    """The same step in PyTorch CPU (float64, one thread, autograd, torch.optim.SGD), or None."""
    try:
        import torch
    except Exception:                                            # not installed, or broken
        return None
    torch.set_num_threads(1)
    layers = []
    for l, (W, b) in enumerate(zip(naive.W, naive.b)):
        lin = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if l < len(naive.W) - 1:
            layers.append(torch.nn.Tanh() if naive.hidden == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    softmax = naive.output == "softmax"

    def step(X, Y, lr):
        x, y = torch.from_numpy(X), torch.from_numpy(Y)
        opt.zero_grad(set_to_none=True)
        out = model(x)
        if softmax:
            loss = torch.nn.functional.cross_entropy(out, y.argmax(dim=1))
        else:
            loss = 0.5 * ((torch.tanh(out) - y) ** 2).sum(dim=1).mean()
        loss.backward()
        opt.step()
    return step


def cycling(step, X, Y, batch):
    """run(k): k steps over consecutive batches of (X, Y), wrapping around."""
    starts = list(range(0, len(X) - batch + 1, batch))
    batches = [(X[s:s + batch], Y[s:s + batch]) for s in starts]
    state = {"i": 0}

    def run(k):
        i = state["i"]
        for _ in range(k):
            Xb, Yb = batches[i]
            step(Xb, Yb, LR)
            i = i + 1 if i + 1 < len(batches) else 0
        state["i"] = i
    return run


def agrees(sizes, hidden, output, loss_name, X, Y, batch) -> bool:
    """Do the engine and the naive step reach the same weights after 50 steps (to 1e-9)?"""
    naive = Naive(sizes, hidden, output, seed=3)
    net = Network(sizes, hidden, output, init="zeros")
    net.load_layers([{"W": W, "b": b} for W, b in zip(naive.W, naive.b)])
    cycling(engine_stepper(net, loss_name), X, Y, batch)(50)
    cycling(naive.step, X, Y, batch)(50)
    return all(np.allclose(W, Wn, rtol=0, atol=1e-9) for W, Wn in zip(net.W, naive.W))


# -- the benchmark -----------------------------------------------------------------------------
CASES = [
    # name, Trainer config or None, sizes, hidden, output, loss, batch
    ("2-4-2-1 tanh, batch 10 (Playground default)", {}, [2, 4, 2, 1], "tanh", "tanh", "half_mse", 10),
    ("2-8x6-1 tanh, batch 10", {"hidden": [8] * 6}, [2] + [8] * 6 + [1], "tanh", "tanh", "half_mse", 10),
    ("784-16-16-10 relu, softmax, batch 64", None, [784, 16, 16, 10], "relu", "softmax", "softmax_ce", 64),
]


def bench_case(name, config, sizes, hidden, output, loss_name, batch, steps, repeats) -> None:
    rng = np.random.default_rng(0)
    if config is not None:                                       # the engine's own training loop
        trainer = Trainer(config)
        X, Y = trainer.X_train, trainer.Y_train
        engine, how = trainer.run, "Trainer.run"
    else:                                                        # random MNIST-shaped data
        X = rng.normal(0.0, 1.0, (batch * 10, sizes[0]))
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], len(X))]
        net = Network(sizes, hidden, output, init="he", seed=0)
        engine, how = cycling(engine_stepper(net, loss_name), X, Y, batch), "Network"
    runs = [engine, cycling(Naive(sizes, hidden, output).step, X, Y, batch)]
    torch_step = torch_stepper(Naive(sizes, hidden, output))
    if torch_step:
        runs.append(cycling(torch_step, X, Y, batch))
    engine_us, naive_us, torch_us = (timings_us(runs, steps, repeats) + [None])[:3]

    print(f"\n{name}")
    print(f"  {'':28s} {'us/step':>8s} {'(best)':>7s} {'steps/s':>9s} {'examples/s':>11s} {'x engine':>9s}")
    rows = [(f"engine ({how})", engine_us), ("plain NumPy step", naive_us)]
    rows.append(("PyTorch CPU (float64)", torch_us))
    for label, us in rows:
        if us is None:
            print(f"  {label:28s} {'(torch does not import here)':>48s}")
            continue
        med, best = us
        print(f"  {label:28s} {med:8.1f} {best:7.1f} {1e6 / med:9,.0f} {batch * 1e6 / med:11,.0f}"
              f" {med / engine_us[0]:9.2f}")
    print(f"  engine / plain NumPy step: {engine_us[0] / naive_us[0]:.2f} (wall-clock medians), "
          f"{CPU[runs[0]] / CPU[runs[1]]:.2f} (CPU-time medians: {CPU[runs[0]]:.1f} / {CPU[runs[1]]:.1f} us)")
    print(f"  engine and plain step agree after 50 steps: "
          f"{'yes' if agrees(sizes, hidden, output, loss_name, X, Y, batch) else 'NO'}")
    if config is not None:
        def maps(k):                                             # each result dropped, as a server does
            for _ in range(k):
                trainer.maps(100)
        [(med, best)] = timings_us([maps], max(steps // 20, 5), repeats)
        print(f"  Trainer.maps(100): {med:,.0f} us (best {best:,.0f}), {sum(sizes)} nodes x 100 x 100 float32")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=9, help="timings per figure (the median is shown)")
    ap.add_argument("--steps", type=int, default=2000, help="steps per timing")
    ap.add_argument("--quick", action="store_true", help="3 repeats of 200 steps (a smoke run)")
    args = ap.parse_args()
    steps, repeats = (200, 3) if args.quick else (args.steps, args.repeats)
    print(f"engine benchmark: python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} cores, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
          f"median of {repeats} x {steps} steps")
    for case in CASES:
        bench_case(*case, steps=steps, repeats=repeats)


if __name__ == "__main__":
    main()
