"""Which training examples each update uses: the batch plan ``Batches`` (shared by the Trainer
and the crowd of networks, engine.landscape.networks, each gathering them in its own layout), and
``Feed``, the Trainer's batches prepared from a task ahead of time.

Batches are consecutive runs of the epoch's order (fixed, or reshuffled by the caller at every
epoch). The usual rule: the last batch of an epoch may be short. The Playground's rule: an epoch
ends when no full batch is left, and the leftover joins the next epoch's first batch (its order is
fixed, so the leftover's positions stay valid).
"""
from __future__ import annotations

import numpy as np

PLAN_AHEAD = 64              # batches a Feed prepares at a time
SMALL_BLOCK = 1 << 16        # values: a block this small is kept in arrays reused from block to block


class Batches:
    def __init__(self, n: int, playground: bool = False):
        self.n, self.playground = n, playground
        self.pos = 0
        self.carry: tuple[int, int] | None = None       # the Playground's leftover, (start, stop)

    def next(self, batch_size: int) -> tuple[tuple[tuple[int, int], ...], bool]:
        """((start, stop), ...) of the next batch in the epoch's order (two runs when a leftover
        joins), and whether this batch ends the epoch (the caller then reorders for the next)."""
        n = self.n
        bs = batch_size if batch_size < n else n
        s = self.pos
        if self.carry is not None:
            runs = (self.carry, (0, bs))
            self.carry = None
        else:
            runs = ((s, s + bs),)
        e = s + bs
        if self.playground:
            ended = e + bs > n                           # no full batch left in this epoch
            if ended:
                self.carry = (e, n) if e < n else None
        else:
            ended = e >= n
        self.pos = 0 if ended else e
        return runs, ended


class Feed:
    """A task's training examples in batches: each epoch's order (fixed in the first epoch and
    under the Playground's rule, else reshuffled by rng), its examples asked from the task in
    blocks (``task.batch(idx, rng)``; the whole epoch unless the task sets ``block``; a task whose
examples come in a meaningful order sets ``shuffle_first`` to have its first epoch shuffled too), and the next
    batches (up to PLAN_AHEAD) prepared ahead as slices of a block. A batch is a list of arrays
    with a leading example axis: whatever the task's batch holds, e.g. [X, Y]; it is valid until
    the feed asks the task for its next block (a small block is copied into the arrays of the
    last one, so that the batches cut from those are cut once, not every epoch)."""

    def __init__(self, task, rng, playground: bool = False):
        self.task, self.rng = task, rng
        self.plan = Batches(task.n_train, playground)
        self._store, self._cuts = None, {}            # a small block's arrays; batches cut from them
        self.new_epoch(shuffle=getattr(task, "shuffle_first", False) and not playground)

    def new_epoch(self, shuffle: bool) -> None:
        n = self.task.n_train
        self.order = self.rng.permutation(n) if shuffle else np.arange(n)
        self.block = getattr(self.task, "block", None) or n
        self.b0, self.blen, self.data = 0, 0, None
        self.ahead: list = []

    def _block_from(self, s: int, e: int) -> int:
        """Examples s:e in the prepared block (preparing one from s if needed); their start in it."""
        if s < self.b0 or e - self.b0 > self.blen:
            idx = self.order[s:s + max(self.block, e - s)]
            self.b0, self.blen, self.data = s, len(idx), self._kept(self.task.batch(idx, self.rng))
        return s - self.b0

    def _kept(self, data):
        """A block's columns, copied into the store (the last small block's arrays) when they fit
        it; a small block that does not becomes the store (copied: a task may hand out views)."""
        store = self._store
        if store is not None and len(store) == len(data) and all(
                a.shape == c.shape and a.dtype == c.dtype for a, c in zip(store, data)):
            for a, c in zip(store, data):
                np.copyto(a, c)
            return store
        self._cuts = {}
        small = sum(np.size(c) for c in data) <= SMALL_BLOCK
        self._store = [np.array(c) for c in data] if small else None
        return self._store if small else data

    def _slice(self, s: int, e: int) -> list:
        """Examples s:e of this epoch's order, from the prepared block."""
        e = min(e, len(self.order))                   # the plan's last run may end past n
        i = self._block_from(s, e)
        return [c[i:i + e - s] for c in self.data]

    def prepare(self, batch_size: int) -> None:
        """The next batches of this epoch, in the order next() pops them, each with the plan's
        state before it (see replan). Under the usual rule they are consecutive slices of the
        prepared block, cut column by column (a few calls per epoch, not per batch)."""
        b = self.plan
        if b.playground:
            return self._prepare_each(batch_size)
        n, s = b.n, b.pos
        bs = batch_size if batch_size < n else n
        i = self._block_from(s, min(s + bs, n))
        end = self.b0 + self.blen                     # the block holds s:end of the order
        k = max(1, min(PLAN_AHEAD, -(-(n - s) // bs) if end >= n else (end - s) // bs))
        b0, e = self.b0, s + k * bs
        b.pos = 0 if e >= n else e
        key = (b0, i, bs, k, n)
        cut = self._cuts.get(key) if self.data is self._store else None
        if cut is None:
            starts = range(i, i + k * bs, bs)
            cols = [[c[j:j + bs] for j in starts] for c in self.data]
            cut = [(batch, False, (b0 + j, None)) for batch, j in zip(zip(*cols), starts)]
            if e >= n:                                # the last one ends the epoch
                cut[-1] = (cut[-1][0], True, cut[-1][2])
            cut.reverse()
            if self.data is self._store:
                if len(self._cuts) >= 16:
                    self._cuts.clear()
                self._cuts[key] = cut
        self.ahead = list(cut)

    def _prepare_each(self, batch_size: int) -> None:
        """prepare's work batch by batch, asking the plan (the Playground's rule)."""
        ahead, b = [], self.plan
        while len(ahead) < PLAN_AHEAD:
            state = (b.pos, b.carry)
            runs, ended = b.next(batch_size)
            if len(runs) == 1:
                batch = self._slice(*runs[0])
            else:                                     # the leftover joins this batch
                batch = [np.concatenate(c) for c in zip(*[self._slice(s, e) for s, e in runs])]
            ahead.append((batch, ended, state))
            if ended:
                break
        ahead.reverse()
        self.ahead = ahead

    def next(self, batch_size: int):
        """(the next batch, whether it ends the epoch); then the caller calls new_epoch. (The
        Trainer's loop does the same with ``ahead`` and ``prepare`` directly.)"""
        if not self.ahead:
            self.prepare(batch_size)
        batch, ended, _ = self.ahead.pop()
        return batch, ended

    def replan(self) -> None:
        """Forget the prepared batches (the batch size changed): the plan resumes at the first."""
        if self.ahead:
            self.plan.pos, self.plan.carry = self.ahead[-1][2]
        self.ahead = []
