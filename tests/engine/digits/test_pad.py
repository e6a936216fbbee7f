"""The drawing pad's preprocessing on synthetic strokes: crop, scale into 20x20, centre of mass."""
import numpy as np
import pytest

from engine.digits import bundled
from engine.digits.pad import prepare


def centre_of_mass(I):
    m = I.sum()
    return (I.sum(axis=1) @ np.arange(I.shape[0])) / m, (I.sum(axis=0) @ np.arange(I.shape[1])) / m


def test_a_thin_vertical_line_becomes_a_centred_one():
    canvas = np.zeros((280, 280))
    canvas[40:240, 60:66] = 255.0                 # drawn left of centre, 200 px tall, 6 px wide
    img = prepare(canvas)
    assert img.shape == (28, 28) and img.max() == pytest.approx(1.0) and img.min() >= 0
    rows = np.flatnonzero(img.sum(axis=1) > 0)
    cols = np.flatnonzero(img.sum(axis=0) > 0)
    assert rows[-1] - rows[0] == 19 and rows[0] in (4, 5)   # 20 px tall, in the middle of 28
    assert len(cols) == 1 and cols[0] == 14        # one column wide, at the centre column
    cy, cx = centre_of_mass(img)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5


def stroke(canvas, dy=0, dx=0):
    """A '7'-like stroke: a bar and a slanted leg, drawn at an offset."""
    t = np.linspace(0, 1, 400)
    for y, x in list(zip(np.full_like(t, 50), 60 + 120 * t)) + list(zip(50 + 150 * t, 180 - 90 * t)):
        canvas[int(y) + dy - 4:int(y) + dy + 4, int(x) + dx - 4:int(x) + dx + 4] = 1.0
    return canvas


def test_a_shifted_stroke_lands_centred_and_the_same():
    a = prepare(stroke(np.zeros((300, 300))))
    b = prepare(stroke(np.zeros((300, 300)), dy=70, dx=-50))
    assert np.allclose(a, b)
    cy, cx = centre_of_mass(a)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5     # MNIST's centre, pixel index 14
    rows = np.flatnonzero(a.sum(axis=1) > 0)
    cols = np.flatnonzero(a.sum(axis=0) > 0)
    assert max(len(rows), len(cols)) == 20        # the longer side scaled to 20 px


def test_aspect_is_kept():
    canvas = np.zeros((100, 400))
    canvas[30:50, 50:350] = 1.0                   # 20 tall, 300 wide: a dash
    img = prepare(canvas)
    rows = np.flatnonzero(img.sum(axis=1) > 0.01)
    cols = np.flatnonzero(img.sum(axis=0) > 0.01)
    assert len(cols) == 20 and len(rows) in (1, 2)


def test_scale_and_polarity_of_the_input_do_not_matter():
    canvas = stroke(np.zeros((200, 240)))
    assert np.allclose(prepare(canvas), prepare(canvas * 255))


def test_blank_and_bad_canvases():
    assert not prepare(np.zeros((50, 50))).any()
    assert not prepare(np.full((50, 50), np.nan)).any()     # no ink anywhere, no crash
    with pytest.raises(ValueError, match=r"canvas: a 2-D grayscale image is needed; got shape \(5,\)"):
        prepare(np.zeros(5))
    with pytest.raises(ValueError, match="canvas: must be a 2-D array of numbers"):
        prepare([["ink", 1], [0, 1]])
    with pytest.raises(ValueError, match="canvas: 10x3000 is too large; allowed: up to 2048x2048"):
        prepare(np.zeros((10, 3000), np.uint8))


def test_mnist_digits_drawn_large_come_back_as_themselves():
    images, _ = bundled.load()
    for image in images[::250] / 255.0:                     # two of each digit
        big = np.kron(image, np.ones((10, 10)))              # as if drawn on a 280x280 pad
        back = prepare(big)
        # MNIST's images were made this way, so the round trip reproduces the original
        assert np.abs(back - image).max() < 0.05
