"""Learnscape's learning engine: pure NumPy, hand-written backpropagation, no drawing."""
from .config import Config
from .network import Network, param_count
from .trainer import Trainer

__all__ = ["Config", "Network", "Trainer", "param_count"]
