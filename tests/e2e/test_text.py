"""The Text workspace in a real browser (issue 10): #dataset=shakespeare opens it, it trains and the
validation loss falls, samples arrive in the timeline, a prompt shows next-character bars that sum
to 1, and switching to points and back works without a console error."""
from app_driver import state, wait_state


def open_text(page, server, hash_: str = "dataset=shakespeare&hidden=32&seq_len=16&batch_size=16") -> None:
    page.goto(server.url + "#" + hash_)
    wait_state(page, "s.connection === 'open' && s.config && s.config.dataset === 'shakespeare' && s.frame"
                     " && s.frame.text && s.dataset && s.dataset.text", timeout=30_000)


def test_the_text_view_trains_samples_and_predicts(page, server):
    open_text(page, server)
    assert page.is_visible("main#text") and not page.is_visible("main#layout")
    assert "78" in page.inner_text("[data-testid=text-corpus]")
    # iteration 0 is in the timeline before training: noise
    page.wait_for_selector("[data-testid=text-samples] figure[data-step='0']")
    first = state(page, "s.frame.loss_test")
    assert 4.0 < first < 4.8                                              # about log 78 = 4.36
    page.select_option("[data-testid=text-every]", "50")
    wait_state(page, "s.text.every === 50")
    page.click("[data-testid=play]")
    # a new sample, labelled with its iteration and loss, and the validation loss below the start
    page.wait_for_selector("[data-testid=text-samples] figure:not([data-step='0'])", timeout=60_000)
    wait_state(page, "s.text.curve.step.length >= 2 && s.text.curve.loss_test.at(-1) < arg - 0.3", arg=first,
               timeout=90_000)
    caption = page.inner_text("[data-testid=text-samples] figure:not([data-step='0']) figcaption")
    assert "iteration" in caption and "validation loss" in caption
    assert int(page.get_attribute("[data-testid=text-loss-chart]", "data-points")) >= 2
    # the prompt box: bars for every character of the vocabulary, summing to 1, the top one marked
    page.fill("[data-testid=text-prompt]", "To be, or not to b")
    page.wait_for_selector("[data-testid=next-char] .nc-bar.top")
    # read in one go: it trains on, and a newer prediction may redraw the bars between two reads
    ps, top = page.eval_on_selector_all("[data-testid=next-char] .nc-bar", "els => [els.map(e => Number(e.dataset.p)),"
                                        " Number(els.find((e) => e.classList.contains('top')).dataset.p)]")
    assert len(ps) == 78
    assert abs(sum(ps) - 1) < 1e-6
    assert top == max(ps)
    assert "next character is e: cost" in page.inner_text("[data-testid=next-char-follows]")
    page.click("[data-testid=play]")


def test_switching_between_points_and_text_both_ways(page, server):
    open_text(page, server)
    page.select_option("[data-testid=text_dataset]", "circle")
    wait_state(page, "s.config.dataset === 'circle' && s.frame && s.frame.weights.length && s.dataset.train.length")
    page.wait_for_selector("main#layout:not([hidden])")
    assert not page.is_visible("main#text")
    page.wait_for_selector("#network .node:not(.input)")
    page.click("[data-testid=step]")
    wait_state(page, "s.frame.step >= 1")
    page.select_option("[data-testid=problem]", "language")
    wait_state(page, "s.config.dataset === 'shakespeare' && s.frame && s.frame.text")
    page.wait_for_selector("main#text:not([hidden])")
    assert page.evaluate("location.hash").startswith("#dataset=shakespeare")

