"""``python -m engine train``: output formats, reporting cadence, run files, and one-line errors."""
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine import cli

ROOT = Path(__file__).resolve().parents[3]
SMALL = ["--points", "60", "--epochs", "6"]


def run_cli(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def main(*args):
    out = io.StringIO()
    code = cli.main(["train", *args], out=out)
    return code, out.getvalue()


def json_rows(*args):
    code, text = main(*args, "--json")
    assert code == 0
    return [json.loads(line) for line in text.splitlines()]


def test_the_issue_example_runs_as_a_module():
    r = run_cli("train", "--dataset", "circle", "--hidden", "4,2", "--activation", "tanh", "--lr", "0.03",
                "--batch-size", "10", "--epochs", "50", "--every", "25", "--seed", "1", "--json")
    assert r.returncode == 0 and r.stderr == ""
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["epoch"] for row in rows] == [0, 25, 50]
    assert set(rows[0]) == {"epoch", "loss_train", "loss_test", "accuracy_train", "accuracy_test"}
    assert rows[-1]["loss_train"] < rows[0]["loss_train"]


def test_help_documents_every_option():
    r = run_cli("--help")
    assert r.returncode == 0
    sub = run_cli("train", "--help")
    flags = ["--dataset", "--hidden", "--activation", "--output", "--loss", "--optimizer", "--lr",
             "--batch-size", "--epochs", "--every", "--noise", "--train-ratio", "--features",
             "--regularization", "--reg-rate", "--seed", "--playground", "--run-file", "--save-run",
             "--json", "--init", "--momentum", "--points", "--schedule", "--classes", "--shuffle"]
    for text in (r.stdout, sub.stdout):
        for flag in flags:
            assert flag in text, flag
    assert "leaky_relu" in sub.stdout and "reg-gauss" in sub.stdout   # allowed values are named


def test_json_keys_and_every_including_epoch_zero_and_the_last():
    rows = json_rows(*SMALL, "--epochs", "7", "--every", "3")
    assert [r["epoch"] for r in rows] == [0, 3, 6, 7]
    for r in rows:
        assert set(r) == {"epoch", "loss_train", "loss_test", "accuracy_train", "accuracy_test"}
        assert 0 <= r["accuracy_test"] <= 1
    reg = json_rows("--dataset", "reg-plane", "--points", "100", "--epochs", "2", "--every", "1")
    assert [r["epoch"] for r in reg] == [0, 1, 2]
    assert set(reg[0]) == {"epoch", "loss_train", "loss_test"}


def test_the_table():
    code, text = main(*SMALL, "--every", "2")
    lines = text.splitlines()
    assert code == 0 and lines[0].split() == ["epoch", "step", "train", "loss", "test", "loss",
                                              "train", "acc", "test", "acc"]
    assert [int(line.split()[0]) for line in lines[1:]] == [0, 2, 4, 6]
    assert [int(line.split()[1]) for line in lines[1:]] == [0, 6, 12, 18]   # 30 points, batch 10


def test_flags_reach_the_trainer():
    a = json_rows(*SMALL, "--every", "6")
    b = json_rows(*SMALL, "--every", "6", "--lr", "0.3", "--hidden", "6", "--activation", "relu")
    assert a[0] != b[0] and a[-1] != b[-1]
    # no hidden layer: a circle is separable in x1^2, x2^2 but not in x1, x2
    c = json_rows("--points", "60", "--epochs", "30", "--every", "30", "--hidden", "none", "--lr", "0.1",
                  "--features", "x1_sq,x2_sq")
    d = json_rows("--points", "60", "--epochs", "30", "--every", "30", "--hidden", "none", "--lr", "0.1")
    assert c[-1]["accuracy_train"] == 1.0 and d[-1]["accuracy_train"] < 0.8


def test_save_run_then_run_file_reproduces_identical_output(tmp_path):
    path = tmp_path / "run.json"
    args = ["--dataset", "xor", "--points", "80", "--noise", "0.1", "--hidden", "3", "--optimizer",
            "momentum", "--epochs", "8", "--every", "2", "--seed", "4"]
    code, first = main(*args, "--save-run", str(path))
    assert code == 0
    doc = json.loads(path.read_text())
    assert doc["config"]["dataset"] == "xor" and doc["config"]["hidden"] == [3]
    assert len(doc["data"]["train"]) == 40 and len(doc["weights"]) == 2
    code, again = main("--run-file", str(path), "--epochs", "8", "--every", "2")
    assert code == 0 and again == first
    code, json_again = main("--run-file", str(path), "--epochs", "8", "--every", "2", "--json")
    assert len(json_again.splitlines()) == 5


def test_flags_beside_a_run_file_override_its_config(tmp_path):
    path = tmp_path / "run.json"
    main(*SMALL, "--save-run", str(path))
    base = json_rows("--run-file", str(path), "--epochs", "6", "--every", "6")
    faster = json_rows("--run-file", str(path), "--epochs", "6", "--every", "6", "--lr", "0.3")
    direct = json_rows(*SMALL, "--every", "6", "--lr", "0.3")
    assert base[0] == faster[0] and base[-1] != faster[-1]
    assert faster == direct                            # same data and weights, new rate
    # the run file's data and weights are used as given, even if the generator would differ
    doc = json.loads(path.read_text())
    doc["data"]["train"] = doc["data"]["train"][:10]
    path.write_text(json.dumps(doc))
    code, text = main("--run-file", str(path), "--epochs", "1", "--every", "1")
    assert code == 0 and text.splitlines()[-1].split()[:2] == ["1", "1"]   # 10 points: one batch
    # a new seed regenerates the data and the weights instead of refusing them
    code, text = main("--run-file", str(path), "--epochs", "1", "--seed", "2")
    assert code == 0 and text.splitlines()[-1].split()[:2] == ["1", "3"]


def test_divergence_is_reported_and_exits_zero():
    r = run_cli("train", "--dataset", "reg-plane", "--hidden", "8,8,8,8,8,8", "--activation", "relu",
                "--lr", "10", "--epochs", "30", "--every", "1")
    assert r.returncode == 0 and "Traceback" not in r.stderr and "Warning" not in r.stderr
    assert "diverged at step" in r.stdout
    rows = json_rows("--dataset", "reg-plane", "--hidden", "8,8,8,8,8,8", "--activation", "relu",
                     "--lr", "10", "--epochs", "30", "--every", "1")
    assert rows[-1]["status"] == "diverged" and rows[-1]["diverged_at"] > 0
    assert len(rows) < 31


BAD = [
    (["--activation", "gelu"], "activation", "allowed: linear"),
    (["--hidden", "4,-2"], "hidden", ">= 1"),
    (["--hidden", "4,x"], "hidden", "allowed"),
    (["--lr", "0"], "learning_rate", "positive finite"),
    (["--lr", "-0.1"], "learning_rate", "positive finite"),
    (["--lr", "nan"], "learning_rate", "positive finite"),
    (["--lr", "inf"], "learning_rate", "positive finite"),
    (["--lr", "fast"], "learning_rate", "positive finite"),
    (["--dataset", "mnist"], "dataset", "allowed: circle"),
    (["--batch-size", "0"], "batch_size", "allowed"),
    (["--noise", "0.9"], "noise", "allowed: 0"),
    (["--features", "x1,x3"], "features", "allowed: x1"),
    (["--optimizer", "lbfgs"], "optimizer", "allowed: sgd"),
    (["--dataset", "reg-plane", "--loss", "bce"], "loss", "allowed"),
    (["--epochs", "-3"], "epochs", "allowed"),
    (["--every", "0"], "every", "allowed"),
    (["--run-file", "/nonexistent/run.json"], "run_file", "allowed"),
    (["--bogus"], "unrecognized arguments", "--bogus"),
]


@pytest.mark.parametrize("args, field, hint", BAD)
def test_bad_input_is_one_line_and_exit_code_two(args, field, hint):
    r = run_cli("train", *args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}"), r.stderr
    assert hint in lines[0]


@pytest.mark.parametrize("content, field", [
    ("{not json", "run_file"),
    ('{"config": [1, 2]}', "run_file"),
    ('{"config": {"activation": "step"}}', "activation"),
    ('{"config": {}, "data": {"train": [[1, 2]]}}', "data"),
    ('{"config": {}, "weights": [{"W": [[1.0]]}]}', "weights"),
    ('{"config": {"hidden": [3]}, "weights": [{"W": [[1.0, 2.0]], "b": [0.0]}]}', "weights"),
    ('{"config": {}, "weights": [{"W": "abc", "b": [0.0]}]}', "weights"),
    ('{"config": {}, "weights": [{"W": [[NaN, 1.0]], "b": [0.0]}]}', "weights"),
    ('{"config": {}, "data": {"train": [[1, 2, "x"]]}}', "data"),
    ('{"config": {}, "data": {"train": []}}', "points"),
])
def test_bad_run_files_are_one_line_errors(tmp_path, content, field):
    path = tmp_path / "bad.json"
    path.write_text(content)
    r = run_cli("train", "--run-file", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith(f"error: {field}: "), r.stderr


def test_no_command_is_an_error():
    r = run_cli()
    assert r.returncode == 2 and r.stderr.startswith("error: command: ") and len(r.stderr.splitlines()) == 1
