"""Loss landscapes, built on the training core (which never imports this package):

| module | concept |
|---|---|
| `surfaces` | classic 2-D test surfaces (`SURFACES`) and the quadratic's theory |
| `exact` | exact surfaces of two-parameter models (house-price regression, one neuron) |
| `slices` | 2-D slices through a live network's loss, and the weights' trajectory |
| `walkers` | many points descending a 2-D surface at once: `path`, `race`, `crowd`, basins |
| `networks` | a crowd of networks of one shape trained together over a leading model axis |
"""
from . import exact, networks, slices, surfaces, walkers
from .exact import gd_path, house, linear_regression, lr_presets, neuron, neuron_data, regime
from .networks import Networks
from .slices import (Trajectory, param_index, pca_directions, plane, project, slice_pca, slice_random,
                     slice_trainer, slice_weights, stack_loss, filter_normalized)

__all__ = ["exact", "networks", "slices", "surfaces", "walkers", "Networks", "Trajectory",
           "filter_normalized", "gd_path", "house", "linear_regression", "lr_presets", "neuron",
           "neuron_data", "param_index", "pca_directions", "plane", "project", "regime", "slice_pca",
           "slice_random", "slice_trainer", "slice_weights", "stack_loss"]
