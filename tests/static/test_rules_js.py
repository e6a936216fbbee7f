"""static/widgets/rules.js states two engine facts; they agree with the engine."""
import dataclasses
import json
import re
from pathlib import Path

from engine.config import LIVE_FIELDS, Config

JS = (Path(__file__).resolve().parents[2] / "static" / "widgets" / "rules.js").read_text()


def test_the_fields_marked_as_restarting_are_those_the_trainer_rebuilds_for():
    restarts = set(json.loads(re.search(r"export const RESTARTS = (\[.*?\]);", JS, re.S).group(1)))
    every = {f.name for f in dataclasses.fields(Config)}
    assert restarts == every - LIVE_FIELDS - {"optimizer"}


def test_what_playground_mode_fixes():
    text = re.search(r"export const PLAYGROUND_FIXES = (\{.*?\});", JS).group(1)
    fixes = json.loads(re.sub(r"(\w+):", r'"\1":', text))
    loose = Config(optimizer="adam", loss="mse", shuffle=True, schedule="cosine", l1_freeze=False)
    fixed = dataclasses.replace(loose, playground=True).resolved()
    assert {k: getattr(fixed, k) for k in fixes} == fixes
    assert all(getattr(loose.resolved(), k) != v for k, v in fixes.items())   # each one really changes
