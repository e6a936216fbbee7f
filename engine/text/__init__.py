"""Character-level language models (issue 10): corpus, models, sampling, clipping (the task is
engine/tasks/text.py).

MODELS is keyed by wire name; every model takes (vocab_size, hidden=, seed=, dtype=, ...) and
implements the Model interface of docs/engine.md with batch = (inputs (B, T) int, targets (B, T) int).
"""
from .bigram import Bigram
from .clipping import clip_by_global_norm
from .corpus import Corpus, bits, from_upload, shakespeare
from .gru import GRU
from .lstm import LSTM
from .mlp import ContextMLP
from .rnn import RNN
from .sampling import next_distribution, sample

MODELS = {m.name: m for m in (RNN, GRU, LSTM, ContextMLP, Bigram)}
DEFAULT_MODEL = "rnn"

__all__ = ["MODELS", "DEFAULT_MODEL", "Bigram", "ContextMLP", "GRU", "LSTM", "RNN", "Corpus", "bits",
           "clip_by_global_norm", "from_upload", "next_distribution", "sample", "shakespeare"]
