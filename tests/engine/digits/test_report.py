"""The confusion matrix, the wrong test images and the first-layer weight images."""
import numpy as np
import pytest

from engine.digits import report


def test_confusion_rows_are_truth_columns_prediction():
    labels = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 0, 2])
    C = report.confusion(labels, predicted, classes=3)
    assert C.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert C.sum() == 6 and np.trace(C) == 4


def test_wrong_images_most_confident_first():
    labels = np.array([3, 1, 4, 1, 5])
    P = np.array([[.1, .0, .0, .9, .0, .0],          # right
                  [.0, .3, .0, .0, .7, .0],          # wrong: 4 at 0.7
                  [.0, .0, .0, .0, .6, .4],          # right
                  [.0, .05, .95, .0, .0, .0],        # wrong: 2 at 0.95
                  [.5, .0, .0, .0, .0, .5]])         # tie -> argmax 0: wrong at 0.5
    images = np.arange(5 * 4, dtype=np.uint8).reshape(5, 4)
    w = report.wrong(images, labels, P, limit=2)
    assert w["count"] == 3
    assert w["index"].tolist() == [3, 1]
    assert w["label"].tolist() == [1, 1] and w["predicted"].tolist() == [2, 4]
    assert w["confidence"].tolist() == [0.95, 0.7]
    assert np.array_equal(w["images"], images[[3, 1]]) and w["images"].dtype == np.uint8


def test_weight_images_are_each_neurons_784_weights():
    W0 = np.arange(3 * 784, dtype=float).reshape(3, 784)
    imgs = report.weight_images(W0)
    assert imgs.shape == (3, 28, 28) and imgs.dtype == np.float32
    assert imgs[2, 1, 0] == W0[2, 28]                 # neuron 2, pixel row 1 column 0
    with pytest.raises(ValueError, match="the first layer has 10 inputs"):
        report.weight_images(np.zeros((2, 10)))
