"""The IDX file format of MNIST (http://yann.lecun.com/exdb/mnist/), read and written.

An IDX file is a 4-byte magic number -- two zero bytes, a type code, the number of dimensions
n -- then n big-endian uint32 sizes, then the values in C order, big-endian. MNIST's files are
uint8 (type 0x08): images (count, 28, 28) and labels (count,). A file whose name ends in .gz is
gzip-compressed. Both the bundled subset and the full MNIST are read by this one reader.
"""
from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np

# type code -> big-endian dtype
TYPES = {0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"),
         0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
CODES = {dt: code for code, dt in TYPES.items()}


def sha256(path: str | Path) -> str:
    """The hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def parse(raw: bytes, name: str = "IDX data") -> np.ndarray:
    """The array held by the (uncompressed) bytes of an IDX file; ValueError naming what is wrong."""
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{name}: not an IDX file (the first two bytes must be zero)")
    code, ndim = raw[2], raw[3]
    if code not in TYPES:
        raise ValueError(f"{name}: unknown IDX type code 0x{code:02x}; "
                         f"allowed: {', '.join(f'0x{c:02x}' for c in TYPES)}")
    start = 4 + 4 * ndim
    if len(raw) < start:
        raise ValueError(f"{name}: truncated IDX header ({len(raw)} bytes for {ndim} dimensions)")
    shape = tuple(int(s) for s in np.frombuffer(raw, ">u4", ndim, 4))
    dtype = TYPES[code]
    expected = start + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(f"{name}: IDX shape {shape} needs {expected} bytes, the file has {len(raw)}")
    values = np.frombuffer(raw, dtype, offset=start).reshape(shape)
    return values.astype(dtype.newbyteorder("="), copy=True)


def read(path: str | Path) -> np.ndarray:
    """The array stored in an IDX file (gzip-compressed when the name ends in .gz)."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as e:                  # gzip.BadGzipFile is an OSError
        raise ValueError(f"{path.name}: cannot be read ({e})") from None
    return parse(raw, path.name)


def encode(values: np.ndarray) -> bytes:
    """The bytes of an IDX file holding `values` (one of the IDX types)."""
    values = np.asarray(values)
    dtype = values.dtype.newbyteorder(">") if values.dtype.itemsize > 1 else values.dtype
    if dtype not in CODES:
        raise ValueError(f"IDX: cannot store dtype {values.dtype}; "
                         f"allowed: {', '.join(str(t) for t in TYPES.values())}")
    header = bytes([0, 0, CODES[dtype], values.ndim]) + np.array(values.shape, ">u4").tobytes()
    return header + values.astype(dtype, copy=False).tobytes()


def write(path: str | Path, values: np.ndarray) -> None:
    """Write `values` as an IDX file; gzip-compressed (reproducibly: no name, time 0) for .gz."""
    path = Path(path)
    raw = encode(values)
    if path.suffix == ".gz":
        with open(path, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f,
                                                  compresslevel=9, mtime=0) as gz:
            gz.write(raw)
    else:
        path.write_bytes(raw)
