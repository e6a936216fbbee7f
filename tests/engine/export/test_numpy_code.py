"""The NumPy export: one .py file, NumPy only, whose predict(X) equals the engine's."""
import argparse
import ast
import json
import runpy
import subprocess
import sys

import numpy as np
import pytest

from engine import Trainer, activations, features
from engine import export
from engine.export import numpy_code

ALL_FEATURES = list(features.FEATURES)


def engine_out(trainer, P):
    return trainer.network.predict(features.transform(P, trainer.r.features))


def exported(trainer, tmp_path, name="model.py"):
    path = tmp_path / name
    numpy_code.export(trainer, str(path))
    return path, runpy.run_path(str(path))


@pytest.mark.parametrize("feats", [["x1", "x2"], ALL_FEATURES], ids=["plain", "all_features"])
@pytest.mark.parametrize("activation", list(activations.ACTIVATIONS))
def test_every_hidden_activation_equals_engine(activation, feats, tmp_path):
    t = Trainer({"dataset": "circle", "hidden": [5, 3], "activation": activation, "features": feats,
                 "seed": 2, "learning_rate": 0.05})
    t.run_epochs(3)
    path, mod = exported(t, tmp_path)
    got = mod["predict"](t.P_test)
    np.testing.assert_array_equal(got, engine_out(t, t.P_test))        # the same arithmetic
    assert mod["FEATURES"] == feats and len(mod["LAYERS"]) == 3
    # self-contained: the only import is numpy
    imports = [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [a.name for n in imports for a in n.names] == ["numpy"]


@pytest.mark.parametrize("config", [
    {"dataset": "xor", "activation": "relu", "output": "sigmoid"},
    {"dataset": "blobs", "classes": 5, "activation": "elu", "features": ["x1", "x2", "x1x2"]},
    {"dataset": "reg-gauss", "activation": "leaky_relu", "features": ALL_FEATURES},
    {"dataset": "house", "activation": "linear", "hidden": []},
])
def test_outputs_classification_multiclass_and_regression(config, tmp_path):
    t = Trainer({"hidden": [4], "seed": 3, **config})
    t.run_epochs(3)
    _, mod = exported(t, tmp_path)
    np.testing.assert_array_equal(mod["predict"](t.P_test), engine_out(t, t.P_test))
    assert mod["predict"]([1.0, -2.0]).shape == (1, t.network.sizes[-1])   # one point works too


def test_runs_alone_in_a_fresh_interpreter(tmp_path):
    """The file works where the engine cannot be imported, in a fresh interpreter."""
    t = Trainer({"dataset": "spiral", "hidden": [6, 4], "activation": "swish", "features": ALL_FEATURES,
                 "seed": 4})
    t.run_epochs(5)
    path, _ = exported(t, tmp_path)
    np.save(tmp_path / "points.npy", t.P_test)
    script = ("import sys, runpy, numpy as np\n"
              "class Block:\n"                       # the project is installed: hide it
              "    def find_spec(self, name, path=None, target=None):\n"
              "        if name.split('.')[0] in ('engine', 'server'): raise ImportError(name)\n"
              "sys.meta_path.insert(0, Block())\n"
              "m = runpy.run_path('model.py')\n"
              "np.save('out.npy', m['predict'](np.load('points.npy')))\n"
              "try:\n    import engine\nexcept ImportError:\n    print('no engine')\n")
    r = subprocess.run([sys.executable, "-I", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                       env={"OPENBLAS_NUM_THREADS": "1"}, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "no engine" in r.stdout
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), engine_out(t, t.P_test))


def test_feature_code_is_read_from_the_engine():
    code = numpy_code.feature_code()
    assert set(code) == set(features.FEATURES)
    P = np.random.default_rng(0).normal(size=(7, 2))
    for name, expr in code.items():
        np.testing.assert_array_equal(eval(expr, {"np": np, "P": P}), features.FEATURES[name](P))


def test_command_line_writes_both_formats(tmp_path, capsys):
    t = Trainer({"dataset": "moons", "hidden": [3], "activation": "softplus", "seed": 6})
    (tmp_path / "run.json").write_text(json.dumps(t.to_run()))
    parser = argparse.ArgumentParser()
    export.add_arguments(parser)
    out, model = tmp_path / "m.py", tmp_path / "m.onnx"
    args = parser.parse_args([str(tmp_path / "run.json"), "--numpy", str(out), "--onnx", str(model), "--epochs", "2"])
    assert export.run(args) == 0
    t.run_epochs(2)
    mod = runpy.run_path(str(out))
    np.testing.assert_array_equal(mod["predict"](t.P_test), engine_out(t, t.P_test))
    assert f"step {t.step_count}" in out.read_text() and model.stat().st_size > 0
    printed = capsys.readouterr().out
    assert f"wrote {out}: 2-3-1 softplus network, output tanh, step {t.step_count}" in printed
