"""Every engine function the lessons use, imported in one place."""
from ..activations import ACTIVATIONS
from ..config import Config
from ..features import transform as features_of
from ..landscape import house, linear_regression, lr_presets, regime
from ..landscape.networks import Networks
from ..landscape.surfaces import get as surface_named, theory
from ..landscape.walkers import crowd as walker_crowd, descend, measured_rate
from ..losses import get as loss_named, per_example
from ..network import Network, layer_views, param_count
from ..sweep import Sweep, SweepGrid
from ..trainer import Trainer

__all__ = ["ACTIVATIONS", "Config", "Network", "Networks", "Trainer", "descend", "features_of", "house",
           "layer_views", "linear_regression", "loss_named", "lr_presets", "measured_rate", "param_count", "per_example",
           "regime", "surface_named", "Sweep", "SweepGrid", "theory", "walker_crowd"]
