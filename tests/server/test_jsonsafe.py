"""NaN and infinity become null, so every message is valid JSON."""
import json

import numpy as np

from server.jsonsafe import finite, jsonable, number


def test_non_finite_numbers_become_null_everywhere():
    out = jsonable({"a": np.array([1.0, np.nan, np.inf]), "b": [np.float32(2.5), -np.inf],
                    "c": (np.int64(3), np.bool_(True)), "d": {"e": float("nan")}})
    assert out == {"a": [1.0, None, None], "b": [2.5, None], "c": [3, True], "d": {"e": None}}
    json.dumps(out, allow_nan=False)
    assert finite([[1.0, np.nan]]) == [[1.0, None]] and finite([1.0, 2.0]) == [1.0, 2.0]
    assert number(None) is None and number(float("inf")) is None and number(np.float64(0.5)) == 0.5
