"""The lessons' command line: list, check with numbers beside thresholds, JSON, exit codes."""
import argparse
import io
import json
import subprocess
import sys
from dataclasses import replace

import pytest

from engine.lessons import IDS, LESSONS, cli
from engine.lessons.lesson import rule


def run(argv):
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    out = io.StringIO()
    return cli.run(parser.parse_args(argv), out), out.getvalue()


def test_list_prints_one_id_per_line():
    code, text = run(["--list"])
    assert code == 0 and text.splitlines() == IDS


def test_module_runs_as_a_command():
    p = subprocess.run([sys.executable, "-m", "engine.lessons", "--list"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.split() == IDS


def test_unknown_id_is_one_line_listing_the_allowed(capsys):
    code, text = run(["no-such-lesson", "--check"])
    err = capsys.readouterr().err
    assert code == 2 and text == ""
    assert len(err.strip().splitlines()) == 1 and "no-such-lesson" in err and ", ".join(IDS) in err


@pytest.mark.parametrize("seeds", ["0", "x", "51"])
def test_bad_seeds_are_refused(seeds, capsys):
    code, _ = run(["backprop", "--check", "--seeds", seeds])
    assert code == 2 and "seeds:" in capsys.readouterr().err


def test_check_prints_numbers_beside_thresholds():
    code, text = run(["cost-and-descent", "--check", "--seeds", "2"])
    assert code == 0 and "passed" in text
    for name, r in LESSONS["cost-and-descent"].claim.items():
        line = next(l for l in text.splitlines() if l.strip().startswith(name))
        assert r["op"] in line and f"{r['threshold']:.4g}" in line


def test_check_json_is_one_object():
    code, text = run(["cost-and-descent", "--check", "--seeds", "2", "--json"])
    doc = json.loads(text)
    assert code == 0 and doc["id"] == "cost-and-descent" and doc["passed"] is True
    assert set(doc["numbers"]) == set(LESSONS["cost-and-descent"].claim)
    assert all({"measured", "threshold", "op"} <= set(n) for n in doc["numbers"].values())


def test_a_failing_claim_exits_1(monkeypatch):
    lesson = LESSONS["cost-and-descent"]
    monkeypatch.setitem(LESSONS, lesson.id, replace(lesson, claim={"steps_to_minimum": rule("<=", 10)}))
    code, text = run([lesson.id, "--check", "--seeds", "2", "--json"])
    doc = json.loads(text)
    assert code == 1 and doc["passed"] is False and doc["numbers"]["steps_to_minimum"]["measured"] > 10
    code, text = run([lesson.id, "--check", "--seeds", "2"])
    assert code == 1 and "FAILED" in text and "fails" in text


def test_id_alone_prints_the_lesson_data():
    code, text = run(["momentum"])
    assert code == 0 and json.loads(text)["id"] == "momentum"
