"""``python -m engine``: every command is wired (train on digits, text and a CSV; data mnist,
lesson, sweep, export, report), and bad input is one line with exit code 2."""
import io
import json

import pytest

from engine import cli


def run(*args, as_json=False):
    """(exit code, what it printed: text, or with as_json its JSON lines, --json added)."""
    out = io.StringIO()
    code = cli.main([*args, *(["--json"] if as_json else [])], out=out)
    return code, [json.loads(line) for line in out.getvalue().splitlines()] if as_json else out.getvalue()


def rows(*args):
    code, got = run(*args, as_json=True)
    assert code == 0
    return got


def test_train_digits_with_issue_9s_flags_prints_accuracy_test():
    got = rows("train", "--dataset", "digits", "--hidden", "16,16", "--activation", "sigmoid", "--output",
               "softmax", "--loss", "softmax_ce", "--init", "xavier", "--optimizer", "momentum", "--lr", "0.1",
               "--batch-size", "32", "--epochs", "2", "--seed", "1")
    assert [r["epoch"] for r in got] == [0, 1, 2]
    assert got[0]["accuracy_test"] < 0.3 < 0.7 < got[-1]["accuracy_test"]     # it learns to read
    assert set(got[-1]) == {"epoch", "loss_train", "loss_test", "accuracy_train", "accuracy_test"}


def test_train_shakespeare_prints_step_loss_train_loss_val_and_sample(tmp_path):
    path = tmp_path / "run.json"
    got = rows("train", "--dataset", "shakespeare", "--model", "rnn", "--hidden", "32", "--seq-len", "16",
               "--batch-size", "16", "--optimizer", "adam", "--lr", "0.005", "--steps", "60", "--every", "30",
               "--save-run", str(path))
    assert [r["step"] for r in got] == [0, 30, 60]
    assert set(got[0]) == {"step", "epoch", "loss_train", "loss_val", "sample"}
    assert got[-1]["loss_val"] < got[0]["loss_val"] - 0.5
    assert all(isinstance(r["sample"], str) and r["sample"] for r in got)
    doc = json.loads(path.read_text())                   # the corpus by reference, weights by name
    assert doc["data"]["dataset"] == "shakespeare" and "text" not in doc["data"]
    assert doc["config"]["clip"] == 5.0 and "Wxh" in doc["weights"] or len(doc["weights"]) > 1
    again = rows("train", "--run-file", str(path), "--steps", "60", "--every", "30")
    assert again == got                                   # the run file reproduces it exactly


def test_train_on_a_csv_table(tmp_path):
    lines = ["a,b,label"] + [f"{i / 10},{(i * 7 % 11) / 10},{'yes' if i % 3 else 'no'}" for i in range(60)]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    got = rows("train", "--data-csv", str(path), "--x", "a,b", "--y", "label", "--epochs", "3", "--every", "3")
    assert [r["epoch"] for r in got] == [0, 3] and "accuracy_test" in got[-1]
    code, _ = run("train", "--data-csv", str(path), "--x", "a,nope", "--y", "label")
    assert code == 2


@pytest.mark.parametrize("args, words", [
    (["train", "--dataset", "digits", "--output", "tanh"], "error: output: digits need softmax or sigmoid outputs"),
    (["train", "--dataset", "shakespeare", "--hidden", "8,8"], "error: hidden: [8, 8]; allowed: one width"),
    (["train", "--dataset", "shakespeare", "--model", "gpt"], "error: model: unknown 'gpt'; allowed: rnn"),
    (["train", "--data-csv", "x.csv"], "error: x, y: --data-csv needs --x COLS and --y COL"),
    (["data", "imagenet"], "error: source: unknown 'imagenet'; allowed: mnist"),
    ([], "error: command: missing; allowed: train, data, lesson, sweep, export, report"),
])
def test_bad_input_is_one_line_and_exit_2(args, words, capsys):
    code, _ = run(*args)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(words) and err.count("\n") == 1


def test_data_mnist_runs_the_downloader(monkeypatch):
    from engine.digits import mnist
    seen = []
    monkeypatch.setattr(mnist, "main", lambda argv: seen.append(argv) or 2)
    assert run("data", "mnist", "--cache-dir", "/nowhere")[0] == 2
    assert seen == [["--cache-dir", "/nowhere"]]


def test_lesson_list_and_check(capsys):
    code, text = run("lesson", "--list")
    assert code == 0 and text.splitlines()[0] == "cost-and-descent" and len(text.splitlines()) >= 12
    code, text = run("lesson", "momentum", "--check", "--seeds", "1", "--json")
    doc = json.loads(text)
    assert code == 0 and doc["id"] == "momentum" and doc["passed"] is True


def test_sweep_prints_cells_and_a_summary():
    code, text = run("sweep", "--dataset", "circle", "--points", "60", "--hidden-widths", "1,2", "--seeds", "2",
                     "--epochs", "2", "--workers", "0", "--json")
    lines = [json.loads(line) for line in text.splitlines()]
    assert code == 0 and len(lines) == 3 and "summary" in lines[-1]


def test_export_and_report_from_a_run_file(tmp_path, capsys):
    run_file, html, py = tmp_path / "run.json", tmp_path / "r.html", tmp_path / "m.py"
    assert run("train", "--points", "60", "--epochs", "1", "--save-run", str(run_file))[0] == 0
    assert run("export", str(run_file), "--numpy", str(py))[0] == 0
    assert "def " in py.read_text()
    assert run("report", str(run_file), "-o", str(html), "--epochs", "2")[0] == 0
    assert html.read_text().lstrip().lower().startswith("<!doctype html")
    assert run("export", str(tmp_path / "missing.json"), "--numpy", str(py))[0] == 2
