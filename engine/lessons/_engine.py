"""Every engine function the lessons use, imported in one place.

Issue 11: engine/walkers.py, landscape.py, surfaces.py and crowd.py are moving into an
engine/landscape/ package; when that lands only these imports change.
"""
from ..activations import ACTIVATIONS
from ..config import Config
from ..crowd import Crowd
from ..features import transform as features_of
from ..landscape import house, linear_regression, lr_presets, regime
from ..losses import get as loss_named, per_example
from ..network import Network, param_count
from ..surfaces import get as surface_named, theory
from ..trainer import Trainer
from ..walkers import crowd as walker_crowd, descend, measured_rate

__all__ = ["ACTIVATIONS", "Config", "Crowd", "Network", "Trainer", "descend", "features_of", "house",
           "linear_regression", "loss_named", "lr_presets", "measured_rate", "param_count", "per_example",
           "regime", "surface_named", "theory", "walker_crowd"]
