"""One test per lesson: its claim, measured through the registry over 5 seeds, holds."""
import numpy as np
import pytest

from engine.lessons import IDS, LESSONS, check

SEEDS = 5


@pytest.mark.parametrize("lesson_id", IDS)
def test_lesson_claim_holds_over_five_seeds(lesson_id):
    with np.errstate(all="ignore"):
        result = check(lesson_id, SEEDS)
    assert result["id"] == lesson_id
    assert set(result["numbers"]) == set(LESSONS[lesson_id].claim)
    failing = {k: n for k, n in result["numbers"].items() if not n["passed"]}
    assert result["passed"] and not failing, f"{lesson_id}: claims failing: {failing}"
    for n in result["numbers"].values():
        if n["per_seed"] is not None:
            assert len(n["per_seed"]) == SEEDS
