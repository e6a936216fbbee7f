"""``python -m engine.export run.json --onnx model.onnx --numpy model.py`` (see __init__.py)."""
from . import add_arguments, run, standalone

raise SystemExit(standalone(add_arguments, run, prog="python -m engine.export"))
