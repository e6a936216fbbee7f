"""Numbers made valid JSON: NaN and infinity never reach the wire; they become null."""
from __future__ import annotations

import json
import math

import numpy as np


def quiet():
    """Overflow while a run diverges is reported as a status, not as warnings in the log."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore")


def finite(values) -> list:
    """An array as nested lists, with every non-finite number as None."""
    a = np.asarray(values, dtype=np.float64)
    if np.isfinite(a).all():
        return a.tolist()
    return np.where(np.isfinite(a), a, None).tolist()


def number(x):
    """A float, or None when it is missing or not finite."""
    return None if x is None or not math.isfinite(x) else float(x)


def jsonable(obj):
    """Plain JSON from nested dicts, lists and NumPy values: arrays to lists, non-finite to None."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return finite(obj) if obj.dtype.kind == "f" else jsonable(obj.tolist())
    if isinstance(obj, (np.floating, float)):
        return number(float(obj))
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def encode(message: dict) -> str:
    """The one place every JSON message passes on its way out: valid JSON, always. Builders make
    their numbers finite already; anything that slipped through (a NaN deep in an exploration's
    result, say) is made null here rather than ending the connection."""
    try:
        return json.dumps(message, allow_nan=False, separators=(",", ":"))
    except (ValueError, TypeError):
        return json.dumps(jsonable(message), allow_nan=False, separators=(",", ":"), default=str)
