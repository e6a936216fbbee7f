"""A trained network as one self-contained Python file: NumPy only, the weights inline.

The file's ``predict(X)`` takes raw points X (n, 2) = (x1, x2), computes the input features and
runs the layers exactly as ``Network.predict`` does, so its outputs equal the engine's (float64,
to the last bit on the same NumPy). Nothing is written twice: the activation functions are the
engine's own source (engine/activations.py) and the feature formulas are read from
engine/features.py. docs/export.md.
"""
from __future__ import annotations

import ast
import inspect
import types

import numpy as np

from .. import activations, features
from ..network import Network


def feature_code() -> dict[str, str]:
    """Each feature's expression in P, read from the FEATURES table in engine/features.py."""
    tree = ast.parse(inspect.getsource(features))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "FEATURES":
            return {ast.literal_eval(k): ast.unparse(v.body) for k, v in zip(node.value.keys, node.value.values)}
    raise RuntimeError("engine/features.py has no FEATURES table")


def _definitions(fn, seen: dict) -> None:
    """fn's source and, first, that of the module-level names it uses (functions, constants)."""
    for name in fn.__code__.co_names:
        value = vars(activations).get(name)
        if name in seen or value is None or isinstance(value, types.ModuleType):
            continue
        if isinstance(value, types.FunctionType):
            _definitions(value, seen)
            seen[name] = inspect.getsource(value)
        elif isinstance(value, (int, float)):
            seen[name] = f"{name} = {value!r}\n"
    seen[fn.__name__] = inspect.getsource(fn)


def _activation_code(names: list[str]) -> tuple[str, str]:
    """(definitions, the table name -> function) for the activations a network uses."""
    seen, table = {}, []
    for name in dict.fromkeys(names):
        fn = activations.softmax if name == "softmax" else activations.get(name).fn
        if isinstance(fn, np.ufunc):
            table.append(f'"{name}": np.{fn.__name__}')
        else:
            _definitions(fn, seen)
            table.append(f'"{name}": {fn.__name__}')
    return "\n\n".join(d.rstrip() for d in seen.values()), "{" + ", ".join(table) + "}"


def _array(a: np.ndarray, indent: str) -> str:
    rows = a.tolist() if a.ndim == 2 else [a.tolist()]
    text = (",\n" + indent + " ").join("[" + ", ".join(repr(float(v)) for v in r) + "]" for r in rows)
    return f"np.array([{text}])" if a.ndim == 2 else f"np.array({text})"


def source_code(network: Network, feature_names: list[str], note: str = "") -> str:
    """The text of the exported file."""
    code = feature_code()
    defs, table = _activation_code([network.activation.name, network.output])
    layers = ",\n".join(f"    ({_array(W, '              ')},\n     {_array(b, '     ')})"
                        for W, b in zip(network.W, network.b))
    columns = ", ".join(code[f] for f in feature_names)
    return f'''"""A Learnscape network as NumPy code: {network!r}.
{note}
predict(X): X (n, 2) raw points (x1, x2) -> outputs (n, {network.sizes[-1]}), the engine's own.
features(X): the network's inputs {', '.join(feature_names)} (n, {len(feature_names)}).
Output {network.output}: {_reading(network.output)}
"""
import numpy as np

FEATURES = {feature_names!r}
ACTIVATION, OUTPUT = {network.activation.name!r}, {network.output!r}
# (W (out, in), b (out,)) per layer; W[i][j] is the weight from node j into node i
LAYERS = [
{layers},
]

# the engine's activation functions (engine/activations.py), fn(Z, out) writes f(Z) into out
{defs}


FUNCTIONS = {table}


def features(X):
    P = np.atleast_2d(np.asarray(X, dtype=np.float64))
    return np.column_stack([{columns}])


def predict(X):
    H = features(X).T                          # examples as columns, as the engine computes them
    for l, (W, b) in enumerate(LAYERS):
        Z = W @ H
        Z += b[:, None]
        A = np.empty_like(Z)
        name = ACTIVATION if l < len(LAYERS) - 1 else OUTPUT
        if name == "softmax":                  # along the outputs
            FUNCTIONS[name](Z.T, A.T)
        else:
            FUNCTIONS[name](Z, A)
        H = A
    return H.T
'''


def _reading(output: str) -> str:
    return {"tanh": "class +1 where the output >= 0, else -1.",
            "sigmoid": "class +1 where the output >= 0.5, else -1.",
            "softmax": "one probability per class 0..k-1; the class is the argmax.",
            "linear": "the predicted value."}[output]


def export(trainer, path: str) -> None:
    text = source_code(trainer.network, trainer.r.features,
                       f"Exported at step {trainer.step_count} (epoch {trainer.epoch}) of dataset "
                       f"{trainer.config.dataset!r}.")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

