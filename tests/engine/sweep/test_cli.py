"""The sweep command line: JSON lines per cell, the summary, the CSV table, one-line errors."""
import argparse
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from engine.sweep import cli


def run(argv, capsys):
    p = argparse.ArgumentParser()
    cli.add_arguments(p)
    code = cli.run(p.parse_args(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lines_per_cell_then_the_summary(capsys, tmp_path):
    path = tmp_path / "sweep.csv"
    code, out, err = run(["--dataset", "circle", "--noise", "0.25", "--hidden-widths", "1,2,3", "--lr", "0.03",
                          "--seeds", "3", "--epochs", "4", "--workers", "0", "--json", "--csv", str(path)], capsys)
    assert code == 0 and err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    cells, summary = lines[:-1], lines[-1]["summary"]
    assert sorted(c["cell"] for c in cells) == [0, 1, 2] and [c["done"] for c in cells] == [1, 2, 3]
    assert cells[-1]["left_s"] == 0 and cells[0]["left_s"] > 0 and cells[0]["elapsed_s"] > 0
    for c in cells:
        assert c["setting"] == {"hidden_width": c["cell"] + 1, "learning_rate": 0.03, "noise": 0.25}
        assert [s["seed"] for s in c["seeds"]] == [1, 2, 3]
        tests = [s["loss_test"] for s in c["seeds"]]
        assert c["mean"]["loss_test"] == pytest.approx(sum(tests) / 3)
        assert c["spread"]["loss_test"] > 0 and 1 <= c["seeds"][0]["best_epoch"] <= 4
    best = min(cells, key=lambda c: c["mean"]["loss_test"])
    assert summary["best"]["setting"] == best["setting"] and summary["best"]["mean"] == best["mean"]["loss_test"]
    assert summary["best"]["spread"] == best["spread"]["loss_test"] and summary["cells"] == 3
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert len(rows) == 9 and rows[0]["hidden_width"] == "1" and rows[0]["seed"] == "1"
    assert float(rows[4]["loss_test"]) == next(c for c in cells if c["cell"] == 1)["seeds"][1]["loss_test"]


def test_text_output_names_the_best_setting(capsys):
    code, out, _ = run(["--lr", "0.01,0.1", "--seeds", "2", "--epochs", "3", "--workers", "0"], capsys)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3 and lines[-1].startswith("best: learning_rate=")
    assert "test loss" in lines[0] and "±" in lines[0]


@pytest.mark.parametrize("argv, message", [
    (["--hidden-widths", "1,x"], "error: hidden_width: 'x' is not allowed; allowed: whole numbers 1 to 1024"),
    (["--lr", "0.1,-2"], "error: learning_rate: -2 is not allowed; allowed: numbers above 0.0 to 10.0"),
    (["--optimizer", "sgd,newton"], "error: optimizer: 'newton' is not allowed; allowed: sgd, momentum"),
    (["--noise", "0.9"], "error: noise: 0.9 is not allowed; allowed: numbers 0.0 to 0.5"),
    (["--dataset", "mnist"], "error: dataset: unknown 'mnist'; allowed: "),
    (["--seeds", "many"], "error: seeds: must be a whole number; got 'many'"),
    (["--workers", "-1"], "error: workers: -1 is not allowed; allowed: whole numbers 0 (this process)"),
    (["--hidden-widths", "1,2", "--depths", "1,2", "--lr", "0.1,0.2", "--batch-size", "5,10"],
     "error: axes: 4 axes vary (hidden_width, depth, learning_rate, batch_size); allowed: 1 to 3"),
    (["--csv", "/nonexistent/dir/x.csv", "--epochs", "1", "--workers", "0"], "error: csv: cannot write"),
    (["--points", "1", "--lr", "0.1,0.2", "--epochs", "1", "--workers", "2"],   # refused in a pool worker
     "error: points: no training points; raise points or train_ratio"),
])
def test_bad_axes_and_values_exit_2_with_one_line(argv, message, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and err.startswith(message) and err.count("\n") == 1


def test_python_dash_m_engine_sweep(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "engine.sweep", "--hidden-widths", "2,3", "--epochs", "2",
                         "--workers", "2", "--json"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert [("summary" in json.loads(line)) for line in ok.stdout.splitlines()] == [False, False, True]
    bad = subprocess.run([sys.executable, "-m", "engine.sweep", "--bogus"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr == "error: unrecognized arguments: --bogus\n"


def children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(d))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return out


def test_ctrl_c_stops_the_workers_and_exits_130():
    p = subprocess.Popen([sys.executable, "-m", "engine.sweep", "--hidden-widths", "2,3", "--epochs", "100000",
                          "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # the most epochs allowed: the sweep must still run when Ctrl-C comes (50,000 took 30 s,
        # as long as the old wait, once the engine got faster). Two workers, and the resource tracker if any.
        end, kids = time.monotonic() + 10, []
        while time.monotonic() < end and len(kids) < 3:
            time.sleep(0.1)
            kids = children(p.pid)
        assert len(kids) >= 2
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=15)
    finally:
        p.kill()
    assert p.returncode == 130 and err.strip().splitlines()[-1] == "cancelled: the sweep's workers were stopped"
    end = time.monotonic() + 5
    while time.monotonic() < end and any(os.path.exists(f"/proc/{k}") for k in kids):
        time.sleep(0.1)
    assert not any(os.path.exists(f"/proc/{k}") for k in kids)
