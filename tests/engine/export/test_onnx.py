"""The ONNX export, run by real onnxruntime, equals the engine on the test points (1e-5) for every
activation, with and without the extra features, classification and regression."""
import argparse
import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from engine import Network, Trainer, activations, features
from engine import export
from engine.export import onnx as export_onnx

ALL_FEATURES = list(features.FEATURES)


def session(model_or_path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    src = model_or_path.SerializeToString() if isinstance(model_or_path, onnx.ModelProto) else str(model_or_path)
    return ort.InferenceSession(src, options, providers=["CPUExecutionProvider"])


def run_onnx(model, P):
    return session(model).run(["output"], {"points": np.asarray(P, np.float32)})[0]


def engine_out(trainer, P):
    return trainer.network.predict(features.transform(np.asarray(P, float), trainer.r.features))


def trained(config, epochs=3):
    t = Trainer({"hidden": [5, 3], "seed": 2, "learning_rate": 0.05, **config})
    t.run_epochs(epochs)
    return t


@pytest.mark.parametrize("feats", [["x1", "x2"], ALL_FEATURES], ids=["plain", "all_features"])
@pytest.mark.parametrize("activation", list(activations.ACTIVATIONS))
def test_every_hidden_activation_equals_engine(activation, feats):
    t = trained({"dataset": "circle", "activation": activation, "features": feats})
    model = export_onnx.build(t.network, feats)
    got, want = run_onnx(model, t.P_test), engine_out(t, t.P_test)
    assert got.shape == want.shape == (len(t.P_test), 1)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-5)
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("Gemm") == 3
    # the weights moved in training, so the comparison is of a trained network, not its init
    assert not np.allclose(t.network.theta, Trainer.from_run(t.to_run()).network.theta)


@pytest.mark.parametrize("config, k", [
    ({"dataset": "xor", "activation": "relu", "output": "sigmoid"}, 1),
    ({"dataset": "spiral", "activation": "tanh", "output": "tanh", "features": ALL_FEATURES}, 1),
    ({"dataset": "blobs", "classes": 4, "activation": "swish"}, 4),
    ({"dataset": "blobs", "classes": 5, "activation": "elu", "features": ["x1", "x2", "x1x2"]}, 5),
    ({"dataset": "reg-plane", "activation": "softplus"}, 1),
    ({"dataset": "reg-gauss", "activation": "leaky_relu", "features": ALL_FEATURES}, 1),
    ({"dataset": "house", "activation": "linear", "hidden": []}, 1),
])
def test_outputs_classification_multiclass_and_regression(config, k):
    t = trained(config)
    model = export_onnx.build(t.network, t.r.features)
    got, want = run_onnx(model, t.P_test), engine_out(t, t.P_test)
    assert got.shape == (len(t.P_test), k)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-5)
    if t.r.output == "softmax":
        assert "Softmax" in [n.op_type for n in model.graph.node]
        np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-6)
        assert (got.argmax(axis=1) == want.argmax(axis=1)).all()


def test_registries_cover_the_engine():
    assert set(export_onnx.ONNX_ACTIVATIONS) == set(activations.ACTIVATIONS) | set(activations.OUTPUT_ACTIVATIONS)
    assert set(export_onnx.ONNX_FEATURES) == set(features.FEATURES)


def test_sign_at_zero_is_plus_one_and_large_inputs_stay_finite():
    net = Network([2, 3, 1], "sign", "linear", init="zeros")
    net.W[1][...] = [[1.0, 2.0, 4.0]]                    # hidden pre-activations are exactly 0
    P = np.array([[0.0, 0.0], [1.0, -2.0]])
    got = run_onnx(export_onnx.build(net, ["x1", "x2"]), P)
    assert got.tolist() == [[7.0], [7.0]] == net.predict(P).tolist()
    for act in ("softplus", "sigmoid", "elu", "swish"):
        t = trained({"dataset": "circle", "activation": act, "features": ALL_FEATURES}, epochs=1)
        far = np.array([[30.0, -30.0], [-60.0, 45.0]])
        got = run_onnx(export_onnx.build(t.network, ALL_FEATURES), far)
        assert np.isfinite(got).all()
        np.testing.assert_allclose(got, engine_out(t, far), rtol=1e-5, atol=1e-5)


def test_command_line_writes_a_valid_model(tmp_path):
    t = Trainer({"dataset": "gauss", "hidden": [4], "activation": "tanh", "features": ["x1", "x2", "x1_sq"],
                 "seed": 5})
    path = tmp_path / "run.json"
    path.write_text(json.dumps(t.to_run()))
    parser = argparse.ArgumentParser()
    export.add_arguments(parser)
    out = tmp_path / "model.onnx"
    assert export.run(parser.parse_args([str(path), "--onnx", str(out), "--epochs", "4"])) == 0
    t.run_epochs(4)                                      # the same run, trained here
    model = onnx.load(str(out))
    onnx.checker.check_model(model, full_check=True)
    meta = {p.key: json.loads(p.value) for p in model.metadata_props}
    assert meta["features"] == ["x1", "x2", "x1_sq"] and meta["step"] == t.step_count > 0
    assert meta["config"]["dataset"] == "gauss"
    got = session(out).run(None, {"points": t.P_test.astype(np.float32)})[0]
    np.testing.assert_allclose(got, engine_out(t, t.P_test), rtol=0, atol=1e-5)


def test_command_line_refuses_bad_input(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"config": {"activation": "cube"}}')
    code = export.standalone(export.add_arguments, export.run, [str(bad), "--onnx", str(tmp_path / "m.onnx")])
    assert code == 2 and "activation: unknown 'cube'" in capsys.readouterr().err
    assert not (tmp_path / "m.onnx").exists()
    good = tmp_path / "good.json"
    good.write_text(json.dumps(Trainer({"hidden": [2]}).to_run()))
    assert export.standalone(export.add_arguments, export.run, [str(good)]) == 2
    assert "export: nothing to write; allowed: --onnx PATH and/or --numpy PATH" in capsys.readouterr().err
    assert export.standalone(export.add_arguments, export.run, [str(good), "--epochs", "-1", "--onnx", "m"]) == 2
    assert "epochs: -1 is out of range" in capsys.readouterr().err
