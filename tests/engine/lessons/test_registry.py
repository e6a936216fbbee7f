"""The lessons registry: every lesson complete, valid and readable by the page."""
import json
import math
import re
from dataclasses import replace

import pytest

from engine.config import Config
from engine.lessons import ARTICLES, IDS, LESSONS, catalogue, get
from engine.lessons.lesson import ANIMATIONS, LANDSCAPE_MODES, LR_PRESETS, MARKS, OPS, PANELS, rule
from engine.sweep import SweepGrid
from engine.trainer import Trainer

TITLE = re.compile(r"《[^》]*》")          # a title may hold a question mark; it is not a sentence end


def sentences(text: str, lang: str) -> int:
    text = TITLE.sub("T", text)
    if lang == "zh":
        return len([s for s in re.split(r"[。！？]", text) if s.strip()])
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()])


def test_ids_are_wire_names_in_course_order():
    assert len(IDS) == 12 and len(set(IDS)) == 12
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", i) for i in IDS)
    assert [LESSONS[i].number for i in IDS] == list(range(1, 13))
    assert IDS[0] == "cost-and-descent" and IDS[-1] == "training-vs-inference"


def test_unknown_id_names_the_allowed_ones():
    with pytest.raises(ValueError, match="allowed: cost-and-descent, learning-rate"):
        get("no-such-lesson")


@pytest.mark.parametrize("lesson_id", IDS)
def test_lesson_is_complete(lesson_id):
    lesson = LESSONS[lesson_id]
    for lang in ("en", "zh"):
        assert lesson.title[lang].strip()
        n = sentences(lesson.caption[lang], lang)
        assert 2 <= n <= 4, f"{lesson_id} {lang} caption has {n} sentences"
    assert re.search(r"[\u4e00-\u9fff]", lesson.caption["zh"]) and re.search(r"[\u4e00-\u9fff]", lesson.title["zh"])
    assert "《" in lesson.caption["en"] and "《" in lesson.caption["zh"]      # a pointer into the articles
    assert lesson.source["article"] in ARTICLES and lesson.source["section"]
    config = Config.from_dict(lesson.config)                                  # raises if a field is wrong
    Trainer(config.updated({"seed": lesson.seed}))
    assert lesson.claim
    for name, r in lesson.claim.items():
        assert re.fullmatch(r"[a-z0-9_]+", name)
        assert r["op"] in OPS and isinstance(r["threshold"], (int, float)) and math.isfinite(r["threshold"])


@pytest.mark.parametrize("lesson_id", IDS)
def test_view_uses_the_page_vocabulary(lesson_id):
    lesson = LESSONS[lesson_id]
    view = lesson.view
    assert set(view) <= {"panels", "landscape", "landscape_try", "gradients", "show_test", "animate", "marks",
                         "try", "sweep", "epochs"}
    assert view["panels"] and set(view["panels"]) <= set(PANELS)
    for ls in [view.get("landscape")] + list(view.get("landscape_try", [])):
        if ls is not None:
            assert ls["mode"] in LANDSCAPE_MODES
            assert ls.get("lr_preset", "crawl") in LR_PRESETS and set(ls.get("lr_presets", [])) <= set(LR_PRESETS)
    assert view.get("animate", "backprop") in ANIMATIONS and set(view.get("marks", [])) <= set(MARKS)
    base = Config.from_dict(lesson.config)
    for patch in view.get("try", []):
        base.updated(patch)                                                   # every suggestion is a valid change
    if "sweep" in view:                                    # a grid engine.sweep (and the page's sweep panel) accepts
        sw = view["sweep"]
        grid = SweepGrid(base, sw["axes"], seeds=sw["seeds"], epochs=sw["epochs"])
        assert len(grid.cells) == math.prod(len(v) for v in sw["axes"].values()) > 1


def test_catalogue_is_json_for_the_page():
    doc = json.loads(json.dumps(catalogue(), ensure_ascii=False))
    assert [l["id"] for l in doc["lessons"]] == IDS
    first = doc["lessons"][0]
    assert set(first) == {"id", "number", "title", "config", "seed", "view", "caption", "source", "claim"}
    assert set(doc["articles"]) == set(ARTICLES)


def test_a_claim_fails_on_its_worst_seed():
    lesson = LESSONS["momentum"]
    fake = replace(lesson, claim={"a": rule(">=", 1.0), "b": rule("<=", 1.0)},
                   measure=lambda seeds: {"a": [2.0, 0.5, 3.0][:len(seeds)], "b": 0.5})
    result = fake.check(3)
    assert result["passed"] is False
    assert result["numbers"]["a"] == {"measured": 0.5, "threshold": 1.0, "op": ">=", "mean": pytest.approx(11 / 6),
                                      "per_seed": [2.0, 0.5, 3.0], "passed": False}
    assert result["numbers"]["b"]["passed"] is True and result["numbers"]["b"]["per_seed"] is None
    nan = replace(fake, measure=lambda seeds: {"a": [float("nan")] * len(seeds), "b": 0.0})
    assert nan.check(2)["passed"] is False
