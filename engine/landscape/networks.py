"""A crowd of M networks of one shape trained at once by one batched engine over a leading model axis.

Every model sees the same batches, in the order engine.Trainer would feed them, so model m follows
exactly the run a Trainer started from the same weights would make. Layer l keeps its weights and
bias together as Wa[l] (M, out, in + 1) (the bias is the last column) and its activations as
columns, A (M, in + 1, n) with a last row of ones (held as (in + 1, M, n), so elementwise work
runs on contiguous memory), so one np.matmul does a layer for all models
(Z = Wa @ A) and one gives the weight and bias gradients together (dWa = dZ @ A^T). Layer 0's
input is the same batch for every model, so its weights are stored (out, M, in + 1) and the
whole crowd's first layer is a single matrix product. All parameters live in one flat vector
``theta``; ``thetas()`` gives them back in engine.Network's layout, one row per model.
"""
from __future__ import annotations

import numpy as np

from .. import activations, losses
from ..batches import Batches
from ..network import Network, forward_columns, layer_views, param_count
from .. import optimizers, schedules
from ..trainer import DIVERGENCE_FACTOR


def _layout(sizes: list[int], M: int) -> np.ndarray:
    """(M, P) indices: [m, k] is where model m's Network.theta[k] sits in the crowd's flat vector.
    Layer 0 is stored (out, M, in + 1), every later layer (M, out, in + 1)."""
    idx = np.empty((M, param_count(sizes)), dtype=np.intp)
    at = 0
    for l, ((n_in, n_out), (W, b)) in enumerate(zip(zip(sizes[:-1], sizes[1:]), layer_views(idx, sizes))):
        mine = at + np.arange(M * n_out * (n_in + 1))
        mine = mine.reshape(n_out, M, n_in + 1).transpose(1, 0, 2) if l == 0 else mine.reshape(M, n_out, n_in + 1)
        W[...], b[...] = mine[:, :, :-1], mine[:, :, -1]
        at += M * n_out * (n_in + 1)
    return idx


class _Pass:
    """Buffers for one batch size n, stored (rows, M, n) so elementwise work runs on contiguous
    memory; Zm, Am, dZm are the (M, rows, n) views that np.matmul reads and writes."""

    def __init__(self, M: int, sizes: list[int], n: int):
        h = sizes[1:]
        self.X = np.empty((sizes[0] + 1, n))
        self.XT = np.empty((n, sizes[0] + 1))                               # row-major copy: faster BLAS
        self.Z = [np.empty((s, M, n)) for s in h]
        self.dZ = [np.empty((s, M, n)) for s in h]
        self.F = [np.empty((s, M, n)) for s in h]                       # f'(Z)
        self.A = [np.ones((s + 1, M, n)) for s in h[:-1]]               # last row stays 1
        self.out = np.empty((h[-1], M, n))
        self.Zm = [Z.transpose(1, 0, 2) for Z in self.Z]
        self.dZm = [dZ.transpose(1, 0, 2) for dZ in self.dZ]
        self.Am = [A.transpose(1, 0, 2) for A in self.A]
        self.AmT = [A.transpose(1, 2, 0) for A in self.A]                # (M, n, in + 1)


class Networks:
    """M networks, one shape and one set of hyper-parameters (learning rates may differ), trained
    together: ``run(steps)``, ``losses()`` (M,), ``train(steps, record_every)`` and ``report()``."""

    def __init__(self, sizes, thetas, X, Y, activation="tanh", output="tanh", loss="half_mse",
                 optimizer="sgd", learning_rate=0.03, batch_size=10, shuffle=True, seed=1,
                 playground=False, schedule="constant", momentum=0.9, beta1=0.9, beta2=None):
        """thetas (M, P): each row a Network.theta; X (n, d) features and Y (n, k) targets, shared;
        learning_rate a number or one per model (M,)."""
        self.sizes = [int(s) for s in sizes]
        thetas = np.array(thetas, dtype=np.float64, ndmin=2)
        M, P = thetas.shape
        if P != param_count(self.sizes):
            raise ValueError(f"thetas: {self.sizes} needs {param_count(self.sizes)} parameters per model, got {P}")
        losses.check_pair(loss, output)
        self.M, self.activation, self.output = M, activations.get(activation), output
        self.out = activations.output(output)
        self.loss = losses.get(loss)
        self.idx = _layout(self.sizes, M)
        self.theta = np.empty(M * P)
        self.theta[self.idx] = thetas
        self.grad = np.zeros_like(self.theta)
        self.Wa, self.dWa, at = [], [], 0
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
            sl = slice(at, at + M * n_out * (n_in + 1))
            shape = (n_out * M, n_in + 1) if l == 0 else (M, n_out, n_in + 1)
            self.Wa.append(self.theta[sl].reshape(shape))
            self.dWa.append(self.grad[sl].reshape(shape))
            at = sl.stop
        X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64).reshape(len(X), -1)
        self.XaT = np.vstack([X.T, np.ones(len(X))])                  # (d + 1, n)
        self.YT = np.ascontiguousarray(Y.T)                            # (k, n)
        self.lr0 = np.broadcast_to(np.asarray(learning_rate, dtype=np.float64).ravel(), (M,)).copy()
        self.batch_size, self.shuffle, self.seed = int(batch_size), bool(shuffle), seed
        self.playground, self.schedule = bool(playground), schedule
        self.optimizer = optimizers.make(optimizer, self.theta.shape, momentum=momentum, beta1=beta1, beta2=beta2)
        self.WT = [None] + [W[:, :, :-1].swapaxes(1, 2) for W in self.Wa[1:]]   # (M, in, out) views
        self._theta0 = self.theta.copy()
        self._passes: dict[int, _Pass] = {}
        self.reset()

    @classmethod
    def from_trainer(cls, trainer, models: int = 64, seeds=None, learning_rates=None) -> "Networks":
        """M fresh initialisations (seeds, default config seed + 0..M-1, so model 0 starts where a
        fresh Trainer does) of the trainer's network, on its training data and settings."""
        r = trainer.r
        if r.regularization != "none" and r.reg_rate > 0:
            raise ValueError(f"regularization: the crowd trains without it; got {r.regularization!r}")
        seeds = list(range(r.seed, r.seed + models)) if seeds is None else list(seeds)
        thetas = np.stack([Network(r.sizes(), r.activation, r.output, r.init, seed=s).theta for s in seeds])
        h = optimizers.hyperparameters(r)
        return cls(r.sizes(), thetas, trainer.X_train, trainer.Y_train, r.activation, r.output, r.loss,
                   r.optimizer, r.learning_rate if learning_rates is None else learning_rates,
                   r.batch_size, r.shuffle, r.seed, r.playground, r.schedule, h["momentum"], h["beta1"],
                   h["beta2"])

    # -- state ------------------------------------------------------------------------------
    def reset(self) -> None:
        np.copyto(self.theta, self._theta0)
        self.optimizer.reset()
        self.lr = self.lr0.copy()                      # (M,), 0 on diverged models
        self._lr_flat = np.empty_like(self.theta)     # per parameter, with the schedule applied
        self.step_count, self.epoch = 0, 0
        self._batches = Batches(self.XaT.shape[1], self.playground)
        self.diverged_at = np.full(self.M, -1)
        self._best = np.full(self.M, np.inf)          # each model's best batch loss (the growth rule)
        self.rng = np.random.default_rng([self.seed, 7])
        self._order(first=True)
        self._snapshot = self.theta.copy()
        self.history = {"step": [], "loss": []}

    def thetas(self) -> np.ndarray:
        """(M, P): each model's parameters in engine.Network's flat layout."""
        return self.theta[self.idx]

    # -- batches, as engine.Trainer makes them -----------------------------------------------
    def _order(self, first=False) -> None:
        if self.shuffle and not first:
            perm = self.rng.permutation(self.XaT.shape[1])
            self._X, self._Y = self.XaT[:, perm], self.YT[:, perm]
        else:
            self._X, self._Y = self.XaT, self.YT
        self._lr_flat[self.idx] = (self.lr * schedules.rate(self.schedule, 1.0, self.epoch))[:, None]

    def _next_batch(self):
        runs, ended = self._batches.next(self.batch_size)
        if len(runs) == 1:
            (s, e), = runs
            Xb, Yb = self._X[:, s:e], self._Y[:, s:e]
        else:                                          # playground: the leftover joins this batch
            Xb = np.hstack([self._X[:, s:e] for s, e in runs])
            Yb = np.hstack([self._Y[:, s:e] for s, e in runs])
        if ended:
            self.epoch += 1
            self._order()
        return Xb, Yb

    # -- forward, backward, update ----------------------------------------------------------
    def _pass_for(self, n: int) -> "_Pass":
        buf = self._passes.get(n)
        if buf is None:
            if len(self._passes) > 8:
                self._passes.clear()
            buf = self._passes[n] = _Pass(self.M, self.sizes, n)
            buf.scale = np.array(2.0 * getattr(self.loss, "factor", 0.0) / n)      # 0-d: the fastest scalar
        return buf

    def _forward(self, Xa, p: "_Pass"):
        """Xa (d + 1, n) -> p.out (k, M, n); fills p.Z[l] (out_l, M, n) and p.A[l] (in_l + 1, M, n)."""
        last = len(self.Wa) - 1
        inp = Xa
        for l, W in enumerate(self.Wa):
            np.matmul(W, inp, out=p.Z[0].reshape(W.shape[0], -1) if l == 0 else p.Zm[l])
            if l < last:
                self.activation.fn(p.Z[l], p.A[l][:-1])
                inp = p.Am[l]
        Z, out = p.Z[-1], p.out
        self.out.fn(Z.transpose(1, 2, 0), out.transpose(1, 2, 0))       # softmax: along the outputs
        return out

    def run(self, steps: int) -> int:
        """`steps` updates, one shared mini-batch each, for every model at once."""
        theta, grad, opt, act = self.theta, self.grad, self.optimizer, self.activation
        mse = self.loss.name in ("mse", "half_mse")
        out_grad = activations.ACTIVATIONS[self.output].grad if self.output != "softmax" else None
        L, growth = len(self.Wa), not self.playground
        with np.errstate(all="ignore"):              # a diverging model only harms itself
            for _ in range(steps):
                Xb, Yb = self._next_batch()
                n = Xb.shape[1]
                p = self._pass_for(n)
                np.copyto(p.X, Xb)
                np.copyto(p.XT, Xb.T)
                out = self._forward(p.X, p)
                dZ = p.dZ[-1]
                if mse:                               # dL/dZ = 2 factor (A - Y) f'(Z) / n
                    np.subtract(out, Yb[:, None, :], out=dZ)
                    if growth:                        # each model's batch loss: factor mean (A - Y)^2
                        self._grown(np.einsum("kmn,kmn->m", dZ, dZ) * (p.scale * 0.5))
                    np.multiply(dZ, p.scale, out=dZ)
                    np.multiply(dZ, out_grad(p.Z[-1], out, p.F[-1]), out=dZ)
                else:
                    if growth:
                        self._grown(self._batch_losses(p, out, Yb))
                    np.multiply(self.loss.delta(p.Z[-1], out, Yb[:, None, :], self.output), 1.0 / n, out=dZ)
                for l in range(L - 1, 0, -1):
                    np.matmul(p.dZm[l], p.AmT[l - 1], out=self.dWa[l])
                    np.matmul(self.WT[l], p.dZm[l], out=p.dZm[l - 1])
                    np.multiply(p.dZ[l - 1], act.grad(p.Z[l - 1], p.A[l - 1][:-1], p.F[l - 1]), out=p.dZ[l - 1])
                np.matmul(p.dZ[0].reshape(len(self.dWa[0]), -1), p.XT, out=self.dWa[0])
                opt.update(theta, grad, self._lr_flat)
                self.step_count += 1
                if self.step_count % 32 == 0:
                    self._check()
        self._check()
        return steps

    def _batch_losses(self, p: "_Pass", out, Yb) -> np.ndarray:
        """(M,) each model's mean loss on this batch (out (k, M, n), Yb (k, n))."""
        k, M, n = out.shape
        Z, A = p.Z[-1].transpose(1, 2, 0).reshape(-1, k), out.transpose(1, 2, 0).reshape(-1, k)
        Y = np.broadcast_to(Yb.T, (M, n, k)).reshape(-1, k)
        return losses.per_example(self.loss, Z, A, Y, self.output).reshape(M, n).mean(axis=1)

    def _grown(self, batch_loss: np.ndarray) -> None:
        """The Trainer's rule, step by step (outside Playground mode): a model whose batch loss is not
        finite or has grown to DIVERGENCE_FACTOR times its best so far has diverged."""
        bad = ~(batch_loss <= DIVERGENCE_FACTOR * np.maximum(self._best, 1e-12)) & (self.diverged_at < 0)
        if bad.any():
            self._check(bad, step=self.step_count + 1)         # as the Trainer counts: after this step
        np.fmin(self._best, batch_loss, out=self._best)

    def _check(self, grown: np.ndarray | None = None, step: int | None = None) -> None:
        """Models whose weights stopped being finite (or whose loss grew, see _grown) go back to the
        last check's weights and stop."""
        bad = ~np.isfinite(self.theta[self.idx].sum(axis=1))
        if grown is not None:
            bad |= grown
        if bad.any():
            at = self.idx[bad]
            self.theta[at] = self._snapshot[at]
            for s in self.optimizer.state.values():
                s[at] = 0.0
            self.lr[bad] = 0.0
            self._lr_flat[at] = 0.0
            self.diverged_at[bad & (self.diverged_at < 0)] = self.step_count if step is None else step
        np.copyto(self._snapshot, self.theta)

    # -- reporting --------------------------------------------------------------------------
    def losses(self, X=None, Y=None) -> np.ndarray:
        """(M,) mean loss of every model on (X (n, d), Y (n, k)), the training set by default."""
        XT = self.XaT[:-1] if X is None else np.asarray(X, dtype=np.float64).T
        YT = self.YT if Y is None else np.asarray(Y, dtype=np.float64).reshape(len(X), -1).T
        k, n = YT.shape
        with np.errstate(all="ignore"):
            acts, Z = forward_columns(layer_views(self.thetas(), self.sizes), XT, self.activation, self.out)
            Zk, Ak = Z.transpose(0, 2, 1).reshape(-1, k), acts[-1].transpose(0, 2, 1).reshape(-1, k)
            Yk = np.broadcast_to(YT.T, (self.M, n, k)).reshape(-1, k)
            return losses.per_example(self.loss, Zk, Ak, Yk, self.output).reshape(self.M, n).mean(axis=1)

    def train(self, steps: int, record_every: int = 25) -> dict:
        """Run `steps` updates, recording every model's training loss every `record_every` steps
        into ``history`` ({"step": [...], "loss": [[M losses], ...]}); returns report()."""
        if not self.history["step"]:
            self._record()
        done = 0
        while done < steps:
            k = min(record_every, steps - done)
            self.run(k)
            done += k
            self._record()
        return self.report()

    def _record(self) -> None:
        self.history["step"].append(self.step_count)
        self.history["loss"].append(self.losses().tolist())

    def report(self) -> dict:
        """The crowd now: final losses, their spread, divergence, and the loss history."""
        loss = self.losses()
        ok = loss[np.isfinite(loss) & (self.diverged_at < 0)]
        q = np.percentile(ok, [0, 25, 50, 75, 100]).tolist() if len(ok) else [float("nan")] * 5
        return {"models": self.M, "step": self.step_count, "epoch": self.epoch,
                "loss_train": loss.tolist(), "spread": dict(zip(["min", "q1", "median", "q3", "max"], q)),
                "diverged_at": [None if d < 0 else int(d) for d in self.diverged_at],
                "history": self.history}
