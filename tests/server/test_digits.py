"""The digits workspace on the wire, through a real uvicorn and a real `websockets` client: a session
switched to digits is described (not sent image by image), trains at full speed with its accuracy
rising, streams the first layer's weight images and the sample grid as binary kinds 4 and 5, and
reads the drawing pad while it trains and while it is paused; bad pads are refused, the session
lives on."""
import asyncio
import base64
import json
import time

import numpy as np
import websockets

from server import protocol as wire


def canvas_b64(canvas: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(canvas, np.uint8).tobytes()).decode()


def stroke(side: int = 120) -> np.ndarray:
    c = np.zeros((side, side), np.uint8)
    c[20:100, side // 2 - 4:side // 2 + 4] = 255         # a vertical bar: a "1"
    return c


async def until(ws, want, seconds: float = 20.0) -> tuple[dict, list[bytes], list[dict]]:
    """Read until a message with want(message); (it, the binaries after it if a frame with maps,
    everything seen before it)."""
    seen, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        m = json.loads(await asyncio.wait_for(ws.recv(), 10))
        binaries = []
        if m["type"] == "frame" and m["maps_seq"] is not None:
            binaries = [await asyncio.wait_for(ws.recv(), 10) for _ in range(2 if m.get("task") == "digits" else 1)]
        if want(m):
            return m, binaries, seen
        seen.append(m)
    raise AssertionError(f"nothing wanted within {seconds}s; saw {[m['type'] for m in seen][-20:]}")


def test_binary_kinds_of_digits_are_declared():
    kinds = wire.BINARY_LAYOUTS["kinds"]
    assert kinds["weight_images"]["kind"] == wire.KIND_WEIGHT_IMAGES == 4
    assert kinds["samples"]["kind"] == wire.KIND_SAMPLES == 5
    blob = wire.pack_samples(7, np.full((3, 784), 200, np.uint8), [1, 2, 3], [1, 2, 9])
    header = wire.HEADER.unpack_from(blob)
    assert header[2] == 5 and header[3] == 7 and header[4] == 3 and header[5] == 28
    assert len(blob) == wire.HEADER.size + 3 * 784 + 3 + 3
    assert list(blob[-6:]) == [1, 2, 3, 1, 2, 9]


def test_a_digits_session_trains_streams_and_reads_the_pad(live_server):
    async def scenario():
        async with websockets.connect(f"ws://{live_server}/ws", compression=None, max_size=None) as ws:
            opening = [json.loads(await ws.recv()) for _ in range(3)]
            await ws.send(json.dumps({"type": "set_config", "config": {"dataset": "digits", "output": "",
                                                                      "loss": ""}}))
            dataset, _, _ = await until(ws, lambda m: m["type"] == "dataset")
            first, first_bin, _ = await until(ws, lambda m: m["type"] == "frame" and m.get("task") == "digits"
                                              and m["maps_seq"] is not None)
            # paused, untrained: the pad reads
            await ws.send(json.dumps({"type": "read_pad", "width": 120, "height": 120,
                                      "pixels": canvas_b64(stroke()), "id": 1}))
            paused_pad, _, _ = await until(ws, lambda m: m["type"] == "pad")
            await ws.send(json.dumps({"type": "set_speed", "steps_per_second": 0}))
            await ws.send(json.dumps({"type": "play"}))
            started = time.monotonic()
            frames = []                              # until it learned (a loaded machine: up to a minute)
            while time.monotonic() - started < 60 and not (
                    len(frames) > 30 and sum(1 for _, b in frames if b) >= 3
                    and (frames[-1][0]["accuracy_test"] or 0) > max(0.5, first["accuracy_test"] + 0.3)):
                f, binaries, _ = await until(ws, lambda m: m["type"] == "frame")
                frames.append((f, binaries))
            # while it trains: a pad, then bad pads, then the session still answers
            await ws.send(json.dumps({"type": "read_pad", "width": 120, "height": 120,
                                      "pixels": canvas_b64(stroke()), "id": 2}))
            running_pad, _, _ = await until(ws, lambda m: m["type"] == "pad")
            bad = [{"type": "read_pad", "width": 120, "height": 120, "pixels": "not base64!"},
                   {"type": "read_pad", "width": 120, "height": 120, "pixels": canvas_b64(np.zeros((10, 10)))},
                   {"type": "read_pad", "width": 5000, "height": 120, "pixels": ""},
                   {"type": "read_pad", "width": 120}]
            errors = []
            for m in bad:
                await ws.send(json.dumps(m))
                errors.append((await until(ws, lambda m: m["type"] == "error"))[0])
            await ws.send(json.dumps({"type": "pause"}))
            await ws.send(json.dumps({"type": "read_pad", "width": 28, "height": 28,
                                      "pixels": canvas_b64(stroke(28)), "id": 3}))
            after_pad, _, _ = await until(ws, lambda m: m["type"] == "pad")
            return opening, dataset, first, first_bin, paused_pad, frames, running_pad, errors, after_pad

    opening, dataset, first, first_bin, paused_pad, frames, running_pad, errors, after_pad = asyncio.run(scenario())
    assert [m["type"] for m in opening] == ["hello", "dataset", "status"]
    # the dataset is described, not sent: 400 + 100 images of every digit
    assert dataset["task"] == "digits" and dataset["train"] == [] and dataset["image_size"] == 28
    assert dataset["counts_train"] == [400] * 10 and dataset["counts_test"] == [100] * 10
    assert first["digits"]["parameters"] == 13_002
    # binary kinds 4 (weight images) and 5 (the sample grid) follow a frame that names their seq
    header, weights = wire.unpack_grids(first_bin[0])
    assert header["kind"] == 4 and header["seq"] == first["maps_seq"] and weights.shape == (16, 28, 28)
    magic, _, kind, seq, count, res = wire.HEADER.unpack_from(first_bin[1])
    assert (kind, seq, res) == (5, first["maps_seq"], 28) and len(first_bin[1]) == 16 + count * (784 + 2)
    # it trained and learned: accuracy on the test images rose well above chance
    measured = [f for f, _ in frames if f["accuracy_test"] is not None]
    assert measured[-1]["step"] > measured[0]["step"] + 100
    assert measured[-1]["accuracy_test"] > max(0.5, first["accuracy_test"] + 0.3)
    assert len(frames) > 30                              # frames kept coming while it trained flat out
    heavy = [(f, b) for f, b in frames if b]
    assert len(heavy) >= 3 and all(f["digits"]["confusion"] is not None for f, _ in heavy)
    assert all(np.array(f["digits"]["confusion"]).sum() == 1000 for f, _ in heavy)
    later = wire.unpack_grids(heavy[-1][1][0])[1]
    assert np.abs(later - weights).max() > 1e-3          # the first layer's weight images changed
    assert [len(a) for a in frames[-1][0]["digits"]["example"]["activations"]] == [16, 16, 10]
    # the pad: paused, running and paused again, ten probabilities summing to 1, timings measured
    for pad in (paused_pad, running_pad, after_pad):
        assert len(pad["probabilities"]) == 10 and abs(sum(pad["probabilities"]) - 1) < 1e-6
        assert np.array(pad["image"]).shape == (28, 28)
        assert [len(a) for a in pad["activations"]] == [16, 16, 10]
        assert pad["inference_us"] > 0 and pad["step_us"] > 0
    assert (paused_pad["id"], running_pad["id"], after_pad["id"]) == (1, 2, 3)
    assert running_pad["step"] > paused_pad["step"]
    # bad pads: a code, the field, both languages' phrase exists; the session answered after them
    assert [e["code"] for e in errors] == ["pad_pixels", "pad_pixels", "out_of_range", "required"]
    assert errors[1]["field"] == "pixels" and "14400" in errors[1]["message"]
    assert errors[2]["field"] == "width" and "200" in errors[2]["message"]


def test_the_pad_is_refused_outside_digits(session, send):
    out = send(session, {"type": "read_pad", "width": 28, "height": 28, "pixels": canvas_b64(stroke(28))})
    assert out[-1]["type"] == "error" and out[-1]["code"] == "pad_needs_digits"
    assert out[-1]["params"]["got"] == session.trainer.config.dataset
    out = send(session, {"type": "step", "n": 3})                 # and the session goes on
    assert not [m for m in out if m["type"] == "error"]
