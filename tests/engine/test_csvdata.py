"""CSV upload: files the test writes, parsed into the run file's data; each problem refused with
the line, the column and what is allowed."""
import numpy as np
import pytest

from engine import Trainer, csvdata


def write(tmp_path, text: str, name="data.csv", encoding="utf-8") -> bytes:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path.read_bytes()


def table(rows, header="a,b,label"):
    return header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n"


def test_good_file_two_classes_trains(tmp_path):
    rng = np.random.default_rng(0)
    P = rng.uniform(-3, 3, (200, 2))
    lab = np.where(P[:, 0] * P[:, 1] > 0, "yes", "no")
    text = "id,a,b,label\n" + "\n".join(f"r{i},{p[0]:.6f},{p[1]:.6f},{l}" for i, (p, l) in enumerate(zip(P, lab)))
    d = csvdata.load(write(tmp_path, text), x="a,b", y="label", train_ratio=0.7, seed=3)
    assert d.kind == "classification" and d.classes == ["no", "yes"] and d.rows == 200
    assert len(d.data["train"]) == 140 and len(d.data["test"]) == 60
    rows = np.array(d.data["train"] + d.data["test"])
    assert set(rows[:, 2]) == {-1.0, 1.0}
    # every CSV row is in the split exactly once, with its label mapped no -> -1, yes -> +1
    want = {(round(p[0], 6), round(p[1], 6), 1.0 if l == "yes" else -1.0) for p, l in zip(P, lab)}
    assert {(round(a, 6), round(b, 6), c) for a, b, c in rows} == want
    # the same seed gives the same split, another seed another one
    again = csvdata.load(write(tmp_path, text), x="a,b", y="label", train_ratio=0.7, seed=3)
    other = csvdata.load(write(tmp_path, text), x="a,b", y="label", train_ratio=0.7, seed=4)
    assert again.data == d.data and other.data != d.data
    t = Trainer({"dataset": "xor", "hidden": [6], "learning_rate": 0.1, "seed": 1}, data=d.data)
    before = t.report()["loss_train"]
    t.run_epochs(60)
    rep = t.report()
    assert rep["loss_train"] < before and rep["accuracy_test"] > 0.8


def test_regression_multiclass_and_override(tmp_path):
    rows = [(i / 10, -i / 10, i * 0.37) for i in range(50)]
    d = csvdata.load(write(tmp_path, table(rows)), x=["a", "b"], y="label")
    assert d.kind == "regression" and d.classes == []
    assert sorted(r[2] for r in d.data["train"] + d.data["test"]) == pytest.approx(sorted(r[2] for r in rows))
    three = [(i, i % 7, i % 3) for i in range(30)]
    d3 = csvdata.load(write(tmp_path, table(three)), x="a,b", y="label")
    assert d3.kind == "multiclass" and d3.classes == [0.0, 1.0, 2.0]
    assert {r[2] for r in d3.data["train"] + d3.data["test"]} == {0.0, 1.0, 2.0}
    # 3 distinct numbers, forced to regression; 12 distinct forced to classification is refused
    dr = csvdata.load(write(tmp_path, table(three)), x="a,b", y="label", task="regression")
    assert dr.kind == "regression"
    with pytest.raises(ValueError, match=r"12 distinct labels; allowed: 2 to 10"):
        csvdata.load(write(tmp_path, table([(i, i, i) for i in range(12)])), x="a,b", y="label",
                     task="classification")


def test_one_input_and_standardise(tmp_path):
    rows = [(100 + i, 0, 3 * i) for i in range(40)]
    d = csvdata.load(write(tmp_path, table(rows)), x="a", y="label", standardize=True)
    pts = np.array(d.data["train"] + d.data["test"])
    assert np.allclose(pts[:, 1], 0.0)                       # 1-D data: x2 is 0
    assert abs(pts[:, 0].mean()) < 1e-12 and pts[:, 0].std() == pytest.approx(1.0)
    assert d.mean == pytest.approx([119.5]) and d.inputs == ["a"]


def test_bom_and_semicolons_with_decimal_commas(tmp_path):
    d = csvdata.load(write(tmp_path, table([(1, 2, 0), (3, 4, 1)]), encoding="utf-8-sig"),
                     x="a,b", y="label", train_ratio=0.5)
    assert d.inputs == ["a", "b"] and d.label == "label"        # no BOM stuck to "a"
    crlf = csvdata.load(b"a,b,label\r\n1,2,0\r\n3,4,1\r\n", x="a,b", y="label")
    assert sorted(r[2] for r in crlf.data["train"] + crlf.data["test"]) == [-1.0, 1.0]
    semi = "a;b;label\n1,5;2;0\n-3,25;4;1\n0;1e3;1\n"
    t = csvdata.read_table(write(tmp_path, semi))
    assert t.separator == ";" and t.header == ["a", "b", "label"]
    pts = np.array(csvdata.to_points(t, "a,b", "label", train_ratio=0.9).data["train"]
                   + csvdata.to_points(t, "a,b", "label", train_ratio=0.9).data["test"])
    assert sorted(pts[:, 0]) == [-3.25, 0.0, 1.5] and sorted(pts[:, 1]) == [2.0, 4.0, 1000.0]
    assert t.numeric_columns() == ["a", "b", "label"]


@pytest.mark.parametrize("text, message", [
    ("", r"line 1: the file is empty"),
    ("\n\n", r"line 1: the file is empty"),
    ("a,b,label\n", r"line 2: no data rows"),
    ("abc\n1\n", r"line 1: the header has one column"),
    ("a,b,label\n1,2,0\n3,4\n5,6,1\n", r"line 3: 2 cells but the header has 3"),
    ("a,b,label\n1,2,0\n3,4,1,9\n", r"line 3: 4 cells but the header has 3"),
    ("a,b,label\n1,2,0\n3,four,1\n", r"line 3, column 2 \('b'\): 'four' is not a number; allowed: a finite number"),
    ("a,b,label\n1,2,0\n3,,1\n", r"line 3, column 2 \('b'\): a missing value"),
    ("a,b,label\n1,2,0\n3,nan,1\n", r"line 3, column 2 \('b'\): 'nan' is not a number"),
    ("a,b,label\n1,2,0\n3,4,\n", r"line 3, column 3 \('label'\): a missing value"),
    ("a,b,label\n1,2,1\n3,4,1\n", r"column 3 \('label'\): one class only \(1.0\); allowed: 2 to 10"),
    ("a,b,label\n1,2,x\n3,4,y\n", None),
    ("a,a,label\n1,2,0\n", r"line 1, column 2: the name 'a' appears twice"),
])
def test_bad_files_are_refused_with_line_and_column(tmp_path, text, message):
    source = write(tmp_path, text)
    if message is None:                                      # text labels are fine as classes
        assert csvdata.load(source, x="a,b", y="label").classes == ["x", "y"]
        return
    with pytest.raises(ValueError, match=message):
        csvdata.load(source, x="a,b", y="label")


def test_too_many_rows_states_the_limit(tmp_path):
    rows = "\n".join(f"{i},{i % 5},{i % 2}" for i in range(10_001))
    with pytest.raises(ValueError, match=r"line 10002: too many rows \(10,001 data rows\); allowed: at most 10,000"):
        csvdata.load(write(tmp_path, "a,b,label\n" + rows), x="a,b", y="label")
    ok = csvdata.load(write(tmp_path, "a,b,label\n" + rows.rsplit("\n", 1)[0]), x="a,b", y="label")
    assert ok.rows == 10_000


def test_bad_choices_and_bytes(tmp_path):
    source = write(tmp_path, table([(1, 2, 0), (3, 4, 1)]))
    with pytest.raises(ValueError, match=r"column 'c': not in the header; allowed: a, b, label"):
        csvdata.load(source, x="a,c", y="label")
    with pytest.raises(ValueError, match=r"x: 3 input columns; allowed: one or two"):
        csvdata.load(source, x="a,b,label", y="label")
    with pytest.raises(ValueError, match=r"each column may be picked once"):
        csvdata.load(source, x="a,label", y="label")
    with pytest.raises(ValueError, match=r"task: unknown 'guess'"):
        csvdata.load(source, x="a,b", y="label", task="guess")
    with pytest.raises(ValueError, match=r"line 2: not UTF-8 text"):
        csvdata.load(b"a,b,label\n\xff\xfe,1,0\n", x="a,b", y="label")
