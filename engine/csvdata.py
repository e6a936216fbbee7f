"""A learner's CSV table -> the run file's inline data ({"train": [[x1, x2, label], ...], "test": ...}).

``read_table(source)`` checks the table (UTF-8, a header row, the same number of cells on every
line, at most MAX_ROWS data rows); ``to_points(table, x, y, ...)`` picks the input columns (two,
or one for 1-D data, whose x2 is then 0) and the label column, decides the task, optionally
standardises the inputs and splits with a seed. ``load`` is both. Every problem raises
ValueError naming the line and column and what is allowed. Line numbers count the header as 1.

Labels follow the run file's conventions: two classes become -1 and +1 (in sorted order), three
or more become 0..k-1, regression keeps the value.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

import numpy as np

from . import datasets

MAX_ROWS = 10_000
MAX_BYTES = 8_000_000
MIN_CLASSES, MAX_CLASSES = 2, 10
TASKS = ("auto", "classification", "regression")
_SEPARATORS = (",", ";", "\t")


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]              # data rows as text, each len(header) cells
    separator: str

    def column(self, name: str | int) -> int:
        """The index of a column given by its header name (or its 0-based index)."""
        if isinstance(name, int) and not isinstance(name, bool):
            if 0 <= name < len(self.header):
                return name
        elif name in self.header:
            return self.header.index(name)
        raise ValueError(f"column {name!r}: not in the header; allowed: {', '.join(self.header)}")

    def numeric_columns(self) -> list[str]:
        """The columns whose every cell is a finite number (what the page offers as inputs)."""
        return [h for j, h in enumerate(self.header)
                if all(_number(r[j], self.separator) is not None for r in self.rows)]


@dataclass
class CsvData:
    data: dict                         # {"train": [[x1, x2, label], ...], "test": [...]}
    kind: str                          # classification (2 classes), multiclass, regression
    classes: list = field(default_factory=list)    # the label values in class order
    inputs: list = field(default_factory=list)     # the input columns' names
    label: str = ""
    mean: list = field(default_factory=list)       # standardisation: x' = (x - mean) / std
    std: list = field(default_factory=list)
    rows: int = 0


def read_table(source: bytes | str) -> Table:
    """Decode, detect the separator (comma, semicolon or tab) and check the shape of the table."""
    text = _text(source)
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or not lines[0].strip():
        raise ValueError("line 1: the file is empty; allowed: a header row, then one row per point")
    separator = max(_SEPARATORS, key=lambda s: lines[0].count(s))
    if lines[0].count(separator) == 0:
        raise ValueError(f"line 1: the header has one column ({lines[0][:40]!r}); allowed: "
                         "at least two columns separated by commas, semicolons or tabs")
    records = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=separator))
    header = [h.strip() for h in records[0]]
    for j, h in enumerate(header):
        if not h:
            raise ValueError(f"line 1, column {j + 1}: the header cell is empty; allowed: a name per column")
        if header.index(h) != j:
            raise ValueError(f"line 1, column {j + 1}: the name {h!r} appears twice; allowed: distinct names")
    rows = records[1:]
    if not rows:
        raise ValueError("line 2: no data rows after the header; allowed: 1 to "
                         f"{MAX_ROWS:,} rows")
    if len(rows) > MAX_ROWS:
        raise ValueError(f"line {MAX_ROWS + 2}: too many rows ({len(rows):,} data rows); "
                         f"allowed: at most {MAX_ROWS:,}")
    for i, r in enumerate(rows):
        if not r:
            raise ValueError(f"line {i + 2}: an empty line; allowed: one row per point, no blank lines")
        if len(r) != len(header):
            raise ValueError(f"line {i + 2}: {len(r)} cells but the header has {len(header)}; "
                             "allowed: the same number of cells on every line")
    return Table(header, rows, separator)


def to_points(table: Table, x, y, task: str = "auto", standardize: bool = False,
              train_ratio: float = 0.5, seed: int = 1) -> CsvData:
    """x: one or two input columns (names or indices, or "a,b"); y: the label column.
    task: auto (classification for 2 to 10 distinct labels, else regression), classification or
    regression. Rows are shuffled with `seed`, then the first floor(n * train_ratio) train."""
    if task not in TASKS:
        raise ValueError(f"task: unknown {task!r}; allowed: {', '.join(TASKS)}")
    if not 0.1 <= train_ratio <= 0.9:
        raise ValueError(f"train_ratio: {train_ratio} is out of range; allowed: 0.1 to 0.9")
    names = [s.strip() for s in x.split(",")] if isinstance(x, str) else list(x)
    if not 1 <= len(names) <= 2:
        raise ValueError(f"x: {len(names)} input columns; allowed: one or two")
    cols = [table.column(c) for c in names]
    ycol = table.column(y)
    if ycol in cols or len(set(cols)) != len(cols):
        raise ValueError("x, y: each column may be picked once; allowed: distinct input and label columns")
    P = np.zeros((len(table.rows), 2))
    for k, j in enumerate(cols):
        P[:, k] = _numbers(table, j)
    labels, kind, classes = _labels(table, ycol, task)
    mean, std = [], []
    if standardize:
        m, s = P[:, :len(cols)].mean(axis=0), P[:, :len(cols)].std(axis=0)
        s[s == 0] = 1.0                                  # a constant column stays as it is, centred
        P[:, :len(cols)] = (P[:, :len(cols)] - m) / s
        mean, std = m.tolist(), s.tolist()
    order = np.random.default_rng(seed).permutation(len(P))
    (Ptr, ytr), (Pte, yte) = datasets.split(P[order], labels[order], train_ratio)
    if len(Ptr) == 0:
        raise ValueError(f"train_ratio: no training rows out of {len(P)}; allowed: more rows or a larger ratio")
    data = {"train": np.column_stack([Ptr, ytr]).tolist(), "test": np.column_stack([Pte, yte]).tolist()}
    return CsvData(data, kind, classes, [table.header[j] for j in cols], table.header[ycol],
                   mean, std, len(P))


def load(source: bytes | str, x, y, **options) -> CsvData:
    return to_points(read_table(source), x, y, **options)


# -- helpers -------------------------------------------------------------------------------------
def _text(source: bytes | str) -> str:
    if isinstance(source, (bytes, bytearray)):
        if len(source) > MAX_BYTES:
            raise ValueError(f"file: {len(source):,} bytes; allowed: at most {MAX_BYTES:,}")
        try:
            return bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = source[:e.start].count(b"\n") + 1
            raise ValueError(f"line {line}: not UTF-8 text (byte {e.start}); allowed: a UTF-8 "
                             "CSV file (save it as 'CSV UTF-8')") from None
    if not isinstance(source, str):
        raise ValueError(f"file: expected text or bytes, got {type(source).__name__}")
    if len(source) > MAX_BYTES:
        raise ValueError(f"file: {len(source):,} characters; allowed: at most {MAX_BYTES:,}")
    return source.removeprefix("\ufeff")


def _number(cell: str, separator: str) -> float | None:
    s = cell.strip()
    if separator == ";" and "," in s and "." not in s:      # 1,5 in a semicolon file: a decimal comma
        s = s.replace(",", ".")
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _where(table: Table, i: int, j: int) -> str:
    return f"line {i + 2}, column {j + 1} ({table.header[j]!r})"


def _numbers(table: Table, j: int) -> np.ndarray:
    out = np.empty(len(table.rows))
    for i, r in enumerate(table.rows):
        v = _number(r[j], table.separator)
        if v is None:
            what = "a missing value" if not r[j].strip() else f"{r[j].strip()[:20]!r} is not a number"
            raise ValueError(f"{_where(table, i, j)}: {what}; allowed: a finite number in every cell "
                             "of the columns you pick")
        out[i] = v
    return out


def _labels(table: Table, j: int, task: str):
    """The label column -> (labels, kind, class values). Text labels are classes."""
    cells = [r[j].strip() for r in table.rows]
    for i, c in enumerate(cells):
        if not c:
            raise ValueError(f"{_where(table, i, j)}: a missing value; allowed: a label in every row")
    values = [_number(c, table.separator) for c in cells]
    numeric = all(v is not None for v in values)
    keys = values if numeric else cells
    distinct = sorted(set(keys))
    if task == "regression" or (task == "auto" and numeric and len(distinct) > MAX_CLASSES):
        if not numeric:
            i = values.index(None)
            raise ValueError(f"{_where(table, i, j)}: {cells[i][:20]!r} is not a number; allowed: "
                             "numbers for regression (text labels are classes)")
        return np.asarray(values, dtype=float), "regression", []
    if len(distinct) < MIN_CLASSES:
        raise ValueError(f"column {j + 1} ({table.header[j]!r}): one class only ({distinct[0]!r}); "
                         f"allowed: {MIN_CLASSES} to {MAX_CLASSES} distinct labels")
    if len(distinct) > MAX_CLASSES:
        raise ValueError(f"column {j + 1} ({table.header[j]!r}): {len(distinct)} distinct labels; "
                         f"allowed: {MIN_CLASSES} to {MAX_CLASSES} for classification")
    index = {v: k for k, v in enumerate(distinct)}
    y = np.array([index[v] for v in keys], dtype=float)
    if len(distinct) == 2:
        return 2.0 * y - 1.0, "classification", distinct
    return y, "multiclass", distinct
