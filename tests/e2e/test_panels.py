"""The panels' own controls: feature toggles, the dataset picker, regenerate, the gradients view,
test points and discretize, optimiser and problem type, and picking two weights to slice along."""
import pytest

from app_driver import open_app, settle, state, wait_state

pytestmark = pytest.mark.e2e


def test_features_dataset_picker_and_regenerate(page, server, tmp_path):
    open_app(page, server)
    assert page.inner_text("[data-testid=param_count]").startswith("25")
    page.click("[data-testid=feature-x1_sq]")
    wait_state(page, "s.config.features.includes('x1_sq') && s.frame.weights[0].W[0].length === 3")
    assert page.inner_text("[data-testid=param_count]").startswith("29")     # 3 inputs: 4 more weights
    page.click("[data-testid=feature-x1_sq]")
    wait_state(page, "!s.config.features.includes('x1_sq')")
    first_point = state(page, "s.dataset.train[0]")
    page.click("[data-testid=dataset-xor]")
    wait_state(page, "s.config.dataset === 'xor' && s.dataset.train[0][0] !== arg", arg=first_point[0])
    seed = state(page, "s.config.seed")
    page.click("[data-testid=regenerate]")
    wait_state(page, "s.config.seed === arg", arg=seed + 1)
    page.screenshot(path=str(tmp_path / "xor.png"))


def test_gradients_view_draws_links_by_gradient(page, server, tmp_path):
    open_app(page, server)
    page.click("[data-testid=step]")
    wait_state(page, "s.frame.step === 1")
    widths = lambda: page.eval_on_selector_all(  # noqa: E731
        "[data-testid^=link-]", "els => els.map(e => Number(e.getAttribute('stroke-width')))")
    by_weight = widths()
    page.click("[data-testid=view_gradients]")
    wait_state(page, "s.view.gradients === true")
    page.wait_for_function("(w) => [...document.querySelectorAll('[data-testid^=link-]')]"
                           ".some((e, i) => Number(e.getAttribute('stroke-width')) !== w[i])", arg=by_weight)
    by_grad = widths()
    # width grows with |dL/dw|: the largest gradient of the frame draws the widest link (10 px)
    assert max(by_grad) == pytest.approx(10.0, abs=0.01)
    g = state(page, "s.frame.gradients.flatMap(L => L.W.flat()).map(Math.abs)")
    assert by_grad.index(max(by_grad)) == g.index(max(g))
    page.screenshot(path=str(tmp_path / "gradients.png"))


def test_test_points_and_discretize_change_the_boundary(page, server):
    open_app(page, server)
    dots = lambda: page.eval_on_selector("[data-testid=boundary] canvas.dots", "c => c.toDataURL()")  # noqa: E731
    heat = lambda: page.eval_on_selector("[data-testid=boundary] canvas.heat", "c => c.toDataURL()")  # noqa: E731
    before_dots, before_heat = dots(), heat()
    page.click("[data-testid=show_test]")
    wait_state(page, "s.view.show_test === true")
    page.wait_for_function("(d) => document.querySelector('[data-testid=boundary] canvas.dots').toDataURL() !== d",
                           arg=before_dots)
    page.click("[data-testid=discretize]")
    wait_state(page, "s.view.discretize === true")
    page.wait_for_function("(d) => document.querySelector('[data-testid=boundary] canvas.heat').toDataURL() !== d",
                           arg=before_heat)
    assert "show_test=true" in page.evaluate("location.hash")


def test_optimiser_fields_and_multiclass_problem(page, server, tmp_path):
    open_app(page, server)
    assert "off" in page.eval_on_selector("[data-testid=beta1]", "e => e.closest('.field').className")
    page.select_option("[data-testid=optimizer]", "adam")
    wait_state(page, "s.config.optimizer === 'adam'")
    page.wait_for_function("() => !document.querySelector('[data-testid=beta1]').closest('.field').classList.contains('off')")
    page.select_option("[data-testid=problem]", "multiclass")
    wait_state(page, "s.config.dataset === 'blobs' && s.dataset.kind === 'multiclass'"
                     " && s.frame.weights.at(-1).b.length === s.config.classes")
    page.click("[data-testid=play]")
    wait_state(page, "s.frame.accuracy_train > 0.9", timeout=20_000)
    page.screenshot(path=str(tmp_path / "blobs.png"))


def test_shift_click_two_links_to_slice_the_landscape_along_them(page, server, tmp_path):
    open_app(page, server)
    page.click("[data-testid=link-0-0-0]", modifiers=["Shift"], force=True)
    page.click("[data-testid=link-1-1-2]", modifiers=["Shift"], force=True)
    wait_state(page, "s.view.selected.length === 2")
    assert page.locator("[data-testid=weight_editor]").is_hidden()         # picking is not editing
    page.select_option("[data-testid=landscape_slice]", "weights")
    wait_state(page, "s.landscape.message.type === 'landscape' && s.landscape.message.mode === 'weights'")
    m = state(page, "s.landscape.message")
    w = state(page, "[s.frame.weights[0].W[0][0], s.frame.weights[1].W[1][2]]")
    assert m["center"] == pytest.approx(w)
    settle(page)
    page.screenshot(path=str(tmp_path / "weights-slice.png"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_dataset_tile_fits_inside_the_data_panel(page, server, lang):
    """Issue 14 item 1 after the merge: long names ("Exclusive or", "Blobs (k classes)") pushed the
    third column of tiles out of the panel at 1280 px."""
    open_app(page, server, f"lang={lang}")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=datasets] .thumb').length >= 9")
    panel = page.locator("#data").bounding_box()
    for tile in page.locator("[data-testid=datasets] .thumb").all():
        box = tile.bounding_box()
        assert panel["x"] <= box["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"], tile.get_attribute("data-name")
