"""The batch plan: consecutive runs of the epoch's order, and the Playground's leftover rule."""
from engine.batches import Batches


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
