"""What every part of the wire protocol builds on: the limits the server enforces (hello carries
them; docs/protocol.md explains each), the strict base model of every client verb, and ``Name``, a
Literal built from a registry's keys (so the wire names are the registries' names)."""
from typing import Literal

from pydantic import BaseModel, ConfigDict

from engine import config as _cfg

# -- limits the server enforces -------------------------------------------------------------------
LIMITS = {
    "max_hidden_layers": 8,
    "max_neurons": 32,
    "max_points": 5000,
    "min_grid_resolution": 10,
    "max_grid_resolution": 128,
    "max_steps_per_request": 10_000,
    "max_steps_per_second": 1_000_000,
    "max_message_bytes": 65_536,
    "max_batch_size": 1000,
    "max_landscape_resolution": 81,
    "max_explore_steps": 2000,
    "max_walkers": 200,
    "max_crowd_models": 64,
    # the work budget of one session (see docs/protocol.md, "Work budget")
    "max_step_work": 4_000_000,            # batch size x parameters of one training step
    "max_frame_work": 6_000_000,           # grid points x (parameters + nodes) per frame
    "max_slice_work": 200_000_000,         # grid points x training points x parameters per live slice
    "max_explore_work": 200_000_000,       # model-steps x batch x parameters per crowd of networks
    "max_rebuilds_per_second": 5,          # set_config/regenerate rebuilds; more wait their turn
    "max_restore_step": 2**31 - 1,
    "min_pad_side": 28,                    # the digits drawing pad's canvas, pixels a side
    "max_pad_side": 200,                   # (200 x 200 uint8 in base64 fits the message limit)
    # the text task (issue 10)
    "max_text_hidden": _cfg.MAX_TEXT["hidden"],  # a text model's hidden size (points: max_neurons)
    "max_text_step_work": 1_000_000_000,  # batch x seq_len x (gates x hidden^2 + 2 x hidden x 256) per step
    "max_prompt_chars": 2000,              # predict_next.prompt
    "max_sample_every": 100_000,           # set_samples.every
    "max_sample_length": 1000,             # set_samples.length
    # sweeps (server/sweep.py, docs/protocol.md "Sweeps")
    "max_sweep_models": 120,               # cells x seeds
    "max_sweep_work": 24_000,              # cells x seeds x epochs
    "max_sweep_seeds": 10,
    "max_sweep_epochs": 2000,
    "max_sweep_values": 12,                # values per axis
    "max_sweeps_running": 2,               # at once in one server process, over all its sessions
    # uploads in parts (server/uploads.py, docs/protocol.md "Data in, model out")
    "max_upload_bytes": 4_000_000,         # a whole upload, UTF-8: 10,000 CSV rows, a 2 MB text, a run
    "max_upload_parts": 1024,
    "max_upload_chunk": 60_000,            # characters of one part's data (the message stays <= 64 KiB)
}
L = LIMITS

Name = lambda names: Literal[tuple(names)]  # noqa: E731  a Literal built from a registry's keys


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
