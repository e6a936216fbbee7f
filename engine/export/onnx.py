"""A trained network as an ONNX model, built node by node with the `onnx` package.

The graph takes the raw points, input ``points`` (n, 2) = (x1, x2), computes the network's input
features from them as nodes (Split, Mul, Sin, Concat), then per layer a Gemm (Z = A W^T + b) and
the activation's own ONNX ops, and gives ``output`` (n, k): what ``Network.predict`` returns on
``features.transform(points)``, in float32 (onnxruntime has no float64 Elu or Softplus, and its
LeakyRelu's alpha is a float32 attribute). docs/export.md.
"""
from __future__ import annotations

import json

import numpy as np

from .. import activations
from ..network import Network

OPSET = 17
IR_VERSION = 8          # what opset 17 needs; older runtimes read it


def _onnx():
    try:
        import onnx
    except ImportError:
        raise ValueError("onnx: the package is not installed; allowed: "
                         "pip install 'learnscape[export]'") from None
    return onnx


class _Graph:
    """Nodes and initialisers under construction, with fresh names."""

    def __init__(self, onnx):
        self.onnx, self.dtype = onnx, np.dtype(np.float32)
        self.nodes, self.inits, self._n = [], [], 0

    def name(self, stem: str) -> str:
        self._n += 1
        return f"{stem}_{self._n}"

    def const(self, stem: str, value, dtype=None) -> str:
        name = self.name(stem)
        arr = np.asarray(value, dtype=dtype or self.dtype)
        self.inits.append(self.onnx.numpy_helper.from_array(arr, name))
        return name

    def op(self, op_type: str, inputs: list[str], stem: str | None = None, n_out: int = 1, **attrs):
        outs = [self.name(stem or op_type.lower()) for _ in range(n_out)]
        self.nodes.append(self.onnx.helper.make_node(op_type, inputs, outs, **attrs))
        return outs[0] if n_out == 1 else outs


# -- activations: each engine activation as ONNX ops, keyed by the engine's wire names ----------
def _sign(g, z):
    # the engine's step: +1 for z >= 0, -1 otherwise (ONNX's Sign would give 0 at 0)
    ge = g.op("GreaterOrEqual", [z, g.const("zero", 0.0)])
    return g.op("Where", [ge, g.const("one", 1.0), g.const("minus_one", -1.0)], "sign")


ONNX_ACTIVATIONS = {
    "linear": lambda g, z: z,
    "sigmoid": lambda g, z: g.op("Sigmoid", [z]),
    "tanh": lambda g, z: g.op("Tanh", [z]),
    "relu": lambda g, z: g.op("Relu", [z]),
    "leaky_relu": lambda g, z: g.op("LeakyRelu", [z], alpha=activations.LEAKY_SLOPE),
    "elu": lambda g, z: g.op("Elu", [z], alpha=1.0),
    "softplus": lambda g, z: g.op("Softplus", [z]),
    "swish": lambda g, z: g.op("Mul", [z, g.op("Sigmoid", [z])], "swish"),
    "sign": _sign,
    "softmax": lambda g, z: g.op("Softmax", [z], axis=1),
}

# -- features: each of features.FEATURES from the columns x1, x2 (n, 1) -----------------------
ONNX_FEATURES = {
    "x1": lambda g, x1, x2: x1,
    "x2": lambda g, x1, x2: x2,
    "x1_sq": lambda g, x1, x2: g.op("Mul", [x1, x1], "x1_sq"),
    "x2_sq": lambda g, x1, x2: g.op("Mul", [x2, x2], "x2_sq"),
    "x1x2": lambda g, x1, x2: g.op("Mul", [x1, x2], "x1x2"),
    "sin_x1": lambda g, x1, x2: g.op("Sin", [x1], "sin_x1"),
    "sin_x2": lambda g, x1, x2: g.op("Sin", [x2], "sin_x2"),
}


def build(network: Network, feature_names: list[str], metadata: dict | None = None):
    """The ONNX ModelProto of `network` whose inputs are `feature_names` of the points."""
    onnx = _onnx()
    if network.activation.name not in ONNX_ACTIVATIONS:
        raise ValueError(f"activation: {network.activation.name!r} has no ONNX form; "
                         f"allowed: {', '.join(ONNX_ACTIVATIONS)}")
    g = _Graph(onnx)
    if list(feature_names) == ["x1", "x2"]:
        A = "points"
    else:
        x1, x2 = g.op("Split", ["points", g.const("halves", [1, 1], np.int64)], "x", n_out=2, axis=1)
        A = g.op("Concat", [ONNX_FEATURES[f](g, x1, x2) for f in feature_names], "features", axis=1)
    last = network.n_layers - 1
    for l, (W, b) in enumerate(zip(network.W, network.b)):
        Z = g.op("Gemm", [A, g.const(f"W{l}", W), g.const(f"b{l}", b)], f"z{l}", transB=1)
        A = ONNX_ACTIVATIONS[network.activation.name if l < last else network.output](g, Z)
    g.nodes.append(onnx.helper.make_node("Identity", [A], ["output"]))
    elem = onnx.helper.np_dtype_to_tensor_dtype(g.dtype)
    graph = onnx.helper.make_graph(
        g.nodes, "learnscape",
        [onnx.helper.make_tensor_value_info("points", elem, ["n", 2])],
        [onnx.helper.make_tensor_value_info("output", elem, ["n", network.sizes[-1]])],
        g.inits)
    model = onnx.helper.make_model(graph, producer_name="learnscape",
                                   opset_imports=[onnx.helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    model.doc_string = (f"{network!r}; input 'points' (n, 2) raw (x1, x2); features "
                        f"{', '.join(feature_names)} computed inside; output 'output' (n, {network.sizes[-1]})")
    meta = {"features": feature_names, "activation": network.activation.name,
            "output": network.output, "sizes": network.sizes, **(metadata or {})}
    for k, v in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, json.dumps(v)
    onnx.checker.check_model(model, full_check=True)
    return model


def export(trainer, path: str) -> None:
    """Write `trainer`'s network (its current weights) to `path` as ONNX."""
    model = build(trainer.network, trainer.r.features,
                  {"config": trainer.config.to_dict(), "step": trainer.step_count})
    _onnx().save(model, path)

