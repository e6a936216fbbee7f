"""The full MNIST (60,000 training and 10,000 test images), on request, for users with a network.

``python -m engine data mnist`` downloads the four IDX files into a cache directory, checks each
against its published sha256, and reads them with the project's own IDX reader (engine/digits/idx.py).
Files already in the cache with the right checksum are not fetched again. With no network it says
so in one line and exits 2. Tests inject the fetch function or a loopback mirror; none downloads.
"""
from __future__ import annotations

import argparse
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

import numpy as np

from . import idx

# role -> (file name, sha256, size in bytes), as published with MNIST
FILES = {
    "train_images": ("train-images-idx3-ubyte.gz",
                     "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9912422),
    "train_labels": ("train-labels-idx1-ubyte.gz",
                     "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28881),
    "test_images": ("t10k-images-idx3-ubyte.gz",
                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1648877),
    "test_labels": ("t10k-labels-idx1-ubyte.gz",
                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4542),
}
# tried in order; the original site (yann.lecun.com/exdb/mnist) now often refuses plain downloads
MIRRORS = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]
TIMEOUT = 30.0


class NoNetwork(Exception):
    """No mirror could be reached."""


def default_cache() -> Path:
    """$LEARNSCAPE_CACHE/mnist, else $XDG_CACHE_HOME/learnscape/mnist, else ~/.cache/learnscape/mnist."""
    if os.environ.get("LEARNSCAPE_CACHE"):
        return Path(os.environ["LEARNSCAPE_CACHE"]) / "mnist"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "learnscape" / "mnist"


def fetch(url: str, timeout: float = TIMEOUT) -> bytes:
    """The bytes at url (http, https or file)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def _cached(path: Path, sha: str) -> bool:
    return path.is_file() and idx.sha256(path) == sha


def download(cache: str | Path | None = None, mirrors: list[str] | None = None,
             fetch: Callable[[str], bytes] = fetch, files: dict | None = None) -> dict[str, Path]:
    """Every file of `files` (default: MNIST's four) in `cache`, checked; {role: path}.

    Raises NoNetwork when a missing file can be fetched from no mirror, ValueError when what was
    fetched does not have the published sha256 (nothing is then kept)."""
    cache = Path(cache) if cache is not None else default_cache()
    mirrors, files = mirrors or MIRRORS, files or FILES
    cache.mkdir(parents=True, exist_ok=True)
    paths = {}
    for role, (name, sha, _size) in files.items():
        path = paths[role] = cache / name
        if _cached(path, sha):
            continue
        data, failures = None, []
        for base in mirrors:
            try:
                data = fetch(base + name)
                break
            except (urllib.error.URLError, OSError, ValueError) as e:    # HTTPError is a URLError
                failures.append(f"{base}: {getattr(e, 'reason', e)}")
        if data is None:
            raise NoNetwork(f"could not fetch {name} ({'; '.join(failures)})")
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        digest = idx.sha256(tmp)
        if digest != sha:
            tmp.unlink()
            raise ValueError(f"{name}: sha256 {digest} does not match the published {sha}")
        tmp.replace(path)
    return paths


def load(cache: str | Path | None = None, files: dict | None = None) -> dict[str, np.ndarray]:
    """{role: array} read from the cache (checked again): images uint8 (n, 28, 28), labels uint8 (n,).
    ValueError naming the command to run when a file is missing or altered."""
    cache = Path(cache) if cache is not None else default_cache()
    out = {}
    for role, (name, sha, _size) in (files or FILES).items():
        path = cache / name
        if not _cached(path, sha):
            raise ValueError(f"data: {name} is not in {cache} (or was altered); "
                             "run: python -m engine data mnist")
        out[role] = idx.read(path)
    for part in ("train", "test"):
        images, labels = out.get(f"{part}_images"), out.get(f"{part}_labels")
        if images is not None and labels is not None and len(images) != len(labels):
            raise ValueError(f"data: {part} has {len(images)} images but {len(labels)} labels")
    return out


def main(argv: list[str] | None = None, fetch: Callable[[str], bytes] = fetch) -> int:
    """`python -m engine data mnist [--cache-dir DIR] [--mirror URL]`: 0 done, 2 no network or a bad file."""
    parser = argparse.ArgumentParser(prog="python -m engine data mnist",
                                     description="Download the full MNIST into a cache directory.")
    parser.add_argument("--cache-dir", default=None, help=f"where the files go (default {default_cache()})")
    parser.add_argument("--mirror", action="append", default=None,
                        help="base URL to fetch from (repeatable; default: the known mirrors in turn)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    mirrors = [m if m.endswith("/") else m + "/" for m in args.mirror] if args.mirror else None
    try:
        paths = download(args.cache_dir, mirrors, fetch)
        arrays = load(Path(paths["train_images"]).parent)
    except NoNetwork as e:
        print(f"error: mnist: no network, {e}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as e:
        print(f"error: mnist: {e}", file=sys.stderr)
        return 2
    where = Path(paths["train_images"]).parent
    print(f"mnist: {len(arrays['train_images'])} training and {len(arrays['test_images'])} test "
          f"images, checked, in {where}")
    return 0
