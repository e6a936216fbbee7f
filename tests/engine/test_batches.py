"""The batch plan: consecutive runs of the epoch's order, and the Playground's leftover rule; the feed
of prepared batches."""
import numpy as np

from engine.batches import Batches, Feed


def take(plan, bs, k):
    return [plan.next(bs) for _ in range(k)]


def test_usual_rule_ends_an_epoch_with_a_short_batch():
    plan = Batches(25, playground=False)
    got = take(plan, 10, 4)
    assert [runs for runs, _ in got] == [((0, 10),), ((10, 20),), ((20, 30),), ((0, 10),)]
    assert [ended for _, ended in got] == [False, False, True, False]


def test_playground_carries_the_leftover_into_the_next_epochs_first_batch():
    plan = Batches(25, playground=True)
    got = take(plan, 10, 5)
    # epoch 1: two full batches, then no full batch is left: the epoch ends, 20..25 is carried
    assert got[0] == (((0, 10),), False)
    assert got[1] == (((10, 20),), True)
    # epoch 2's first update averages the leftover and the first 10
    assert got[2] == (((20, 25), (0, 10)), False)
    assert got[3] == (((10, 20),), True)
    assert got[4][0] == ((20, 25), (0, 10))


def test_playground_with_no_leftover_and_a_batch_larger_than_the_data():
    plan = Batches(20, playground=True)
    assert take(plan, 10, 3) == [(((0, 10),), False), (((10, 20),), True), (((0, 10),), False)]
    whole = Batches(5, playground=True)
    assert take(whole, 30, 2) == [(((0, 5),), True), (((0, 5),), True)]


class Numbers:
    """A task whose examples are their own indices, counting its calls."""
    def __init__(self, n, block=None):
        self.n_train, self.block, self.calls = n, block, 0

    def batch(self, idx, rng):
        self.calls += 1
        return [np.asarray(idx), -np.asarray(idx)]


def test_feed_prepares_the_epoch_and_resumes_after_a_new_batch_size():
    task = Numbers(25)
    feed = Feed(task, np.random.default_rng(0))
    got = [feed.next(10)[0][0].tolist() for _ in range(2)]
    assert got == [list(range(10)), list(range(10, 20))] and task.calls == 1
    feed.replan()                                         # the batch size changed to 4
    batch, ended = feed.next(4)
    assert batch[0].tolist() == [20, 21, 22, 23] and batch[1].tolist() == [-20, -21, -22, -23] and not ended
    assert feed.next(4)[0][0].tolist() == [24] and task.calls == 1
    feed.new_epoch(shuffle=True)
    order = [i for _ in range(3) for i in feed.next(10)[0][0].tolist()]
    assert sorted(order) == list(range(25)) and order != list(range(25))


def test_feed_asks_a_big_task_block_by_block():
    task = Numbers(100, block=30)
    feed = Feed(task, np.random.default_rng(0))
    seen = [i for _ in range(10) for i in feed.next(10)[0][0].tolist()]
    assert seen == list(range(100)) and task.calls == 4


def test_each_epoch_s_batches_are_that_epoch_s_order():
    """A small block is copied into the arrays of the one before and the batches cut from them
    serve again: every epoch's batches must still hold that epoch's examples, in its order."""
    task = Numbers(25)
    feed = Feed(task, np.random.default_rng(1))
    for epoch in range(4):
        if epoch:
            feed.new_epoch(shuffle=True)
        got, ended = [], False
        while not ended:
            batch, ended = feed.next(10)
            got.append(batch[0].tolist())
            assert batch[1].tolist() == [-i for i in got[-1]]
        assert [len(b) for b in got] == [10, 10, 5]
        assert sum(got, []) == feed.order.tolist()
    assert task.calls == 4 and feed.order.tolist() != list(range(25))
