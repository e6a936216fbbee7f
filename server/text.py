"""The text task over the wire (issue 10): a session whose dataset is shakespeare or an uploaded text.

- Frames (``frame``) carry the step, the losses in nats (``loss_train``, ``loss_test``: the held-out
  last 10%) and, in ``frame.text``, in bits with the two reference lines (uniform log V, unigram
  entropy). Measuring the losses is a forward pass over 2 x 32,768 characters (tens of ms), so while
  the run plays it is done at most SHARE of the time; the frame says at which step (``eval_step``).
- A ``sample`` message every ``every`` iterations (set_samples): the iteration, the validation loss
  there and ``length`` characters sampled at ``temperature``. It too takes at most SHARE of the time
  while playing: when training outruns it, the sample comes at the first step after the boundary
  that the share allows (its ``step`` says which).
- ``predict_next`` is answered by ``next_char``: the model's probability of each character after the
  prompt, the top choice, and the cost -log p of the character that really follows in the corpus.

Per-session state lives in ``session.extra["text"]`` (a TextView). The live loss-landscape slice is a
points tool: while a text run is on, the session's LiveSlice is parked (NoSlice) and comes back after.
The messages are built in messages.py (text_frame, text_dataset, sample, next_char).
"""
from __future__ import annotations

import time

from engine.text import sampling

from . import messages
from .errors import ProtocolError, from_engine
from .jsonsafe import quiet

SHARE = 0.1                 # while playing: at most this share of the time measuring and sampling
DEFAULT_EVERY = 100         # iterations between samples (Karpathy's figure: 100, 300, 500, ...)
DEFAULT_TEMPERATURE = 1.0
DEFAULT_LENGTH = 200


class TextView:
    """What a text session shows besides training: the sampling choices and the last measurement."""

    def __init__(self):
        self.every, self.temperature, self.length = DEFAULT_EVERY, DEFAULT_TEMPERATURE, DEFAULT_LENGTH
        self.trainer = None               # the trainer measured (a rebuild makes a new one)
        self.ev, self.eval_step = None, None
        self.sampled = None               # step of the last sample
        self.free_at = 0.0                # perf_counter time from which measuring may run again

    def follow(self, trainer) -> None:
        """A new trainer, or the same one reset: measurements and the timeline start again."""
        if trainer is not self.trainer:
            self.refs = trainer.task.references()         # the unigram entropy counts the corpus: once
        if trainer is not self.trainer or (self.eval_step or 0) > trainer.step_count:
            self.trainer, self.ev, self.eval_step, self.sampled = trainer, None, None, None
        if self.sampled is not None and self.sampled > trainer.step_count:
            self.sampled = None

    def allowed(self, playing: bool, now: float) -> bool:
        return not playing or now >= self.free_at

    def charge(self, started: float, playing: bool) -> None:
        """Measuring took from `started` to now: the next may run after (1/SHARE - 1) times that."""
        now = time.perf_counter()
        self.free_at = now + (now - started) * (1.0 / SHARE - 1.0) if playing else now

    def measure(self, trainer) -> dict:
        with quiet():
            self.ev = trainer.task.evaluate(trainer.model)
        self.eval_step = trainer.step_count
        return self.ev

    def sample_due(self, step: int) -> bool:
        return self.sampled is None or step // self.every > self.sampled // self.every


def view(session) -> TextView:
    extra = session.__dict__.setdefault("extra", {})
    if "text" not in extra:
        extra["text"] = TextView()
    return extra["text"]


def is_text(trainer) -> bool:
    return trainer.task.name == "text"


def park_slice(session) -> None:
    """Parks the live landscape slice while a text run is on (tasks.frame asks before every
    frame), and brings it back when the run is points again."""
    if is_text(session.trainer):
        if not isinstance(session.landscape, NoSlice):
            session.landscape = NoSlice(session.landscape)
    elif isinstance(session.landscape, NoSlice):
        session.landscape = session.landscape.kept
        session.landscape.restart()


dataset = messages.text_dataset         # the dataset message of a text run (tasks.py)


def frame(session) -> tuple[dict, None]:
    """The text frame (no binary part); a sample first when one is due and the time share allows."""
    t, v = session.trainer, view(session)
    v.follow(t)
    playing, now = session.run.playing, time.perf_counter()
    step = t.step_count
    if v.sample_due(step) and v.allowed(playing, now):
        v.measure(t)
        with quiet():
            text = sampling.sample(t.model, t.task.corpus, "", v.length, v.temperature, seed=t.r.seed + step)
        v.sampled = step
        session._say(messages.sample(step, v.ev, text, v.temperature))
        v.charge(now, playing)
    elif v.eval_step != step and v.allowed(playing, now):
        v.measure(t)
        v.charge(now, playing)
    session.flow_control.sent()
    speed = session.pace.measured if session.busy else 0.0
    msg = messages.text_frame(t, v.ev, v.eval_step, v.refs, speed)
    session._check_divergence()
    session.dirty = False
    return msg, None


# -- client messages -------------------------------------------------------------------------------
def _need_text(session, what: str) -> None:
    if not is_text(session.trainer):
        raise ProtocolError("not_text", what, got=session.trainer.config.dataset)


def on_predict_next(session, msg) -> None:
    _need_text(session, "prompt")
    t = session.trainer
    temperature = view(session).temperature if msg.temperature is None else msg.temperature
    try:
        with quiet():
            dist = sampling.next_distribution(t.model, t.task.corpus, msg.prompt, temperature)
    except ValueError as e:
        raise from_engine(e) from None
    session._say(messages.next_char(msg.prompt, dist, temperature, t.step_count))


def on_set_samples(session, msg) -> None:
    v = view(session)
    for k in ("every", "temperature", "length"):
        if getattr(msg, k) is not None:
            setattr(v, k, getattr(msg, k))
    if msg.every is not None and v.sampled is not None:
        v.sampled = v.sampled // v.every * v.every      # the next sample at the next multiple


def on_set_weight(session, msg) -> None:
    """set_weight edits a points network's W[layer][to][from]; a text model has no such layers."""
    if is_text(session.trainer):
        raise ProtocolError("not_points", "layer", got=session.trainer.config.dataset)
    type(session)._on_set_weight(session, msg)


HANDLERS = {"predict_next": on_predict_next, "set_samples": on_set_samples, "set_weight": on_set_weight}


class NoSlice:
    """The live landscape while a text run is on: nothing recorded, nothing due (a text network's
    weight history would be ~75 MB, and the slice needs training points); a set_landscape is kept
    for when the run is points again."""

    def __init__(self, kept):
        self.kept, self.dirty = kept, False

    def record(self, theta) -> None:
        pass

    def due(self, now: float) -> bool:
        return False

    def restart(self) -> None:
        pass

    def configure(self, msg, trainer) -> None:
        self.kept.mode = msg.mode
