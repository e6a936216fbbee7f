"""Which training examples each update uses, shared by engine.Trainer and engine.crowd.Crowd
(each gathers them in its own layout).

Batches are consecutive runs of the epoch's order (fixed, or reshuffled by the caller at every
epoch). The usual rule: the last batch of an epoch may be short. The Playground's rule: an epoch
ends when no full batch is left, and the leftover joins the next epoch's first batch (its order is
fixed, so the leftover's positions stay valid).
"""
from __future__ import annotations


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
