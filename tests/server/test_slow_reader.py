"""A client that stops reading for 10 s (while the server trains flat out with every map at
128×128, ~590 KB a frame, and while it sends 300 requests for 5000-point data sets) costs the server
at most BOUND_MB of resident memory: the newest frame replaces an unsent one, a newer data set
replaces an unsent one, and the rest of what waits is bounded. Reading again, it gets fresh frames
and answers."""
import asyncio
import json
import time

import websockets

BOUND_MB = 50
PAUSE_S = 10.0


async def next_text(ws) -> str:
    while True:
        m = await asyncio.wait_for(ws.recv(), 10)
        if isinstance(m, str):
            return m


async def read_frames(ws, count: int) -> list[dict]:
    frames = []
    while len(frames) < count:
        m = await asyncio.wait_for(ws.recv(), 10)
        if isinstance(m, str):
            msg = json.loads(m)
            if msg["type"] == "frame":
                frames.append(msg)
    return frames


def test_a_client_that_stops_reading_costs_bounded_memory(server_process):
    server = server_process("--workers", "1")
    samples = []

    async def scenario():
        url = f"ws://127.0.0.1:{server.port}/ws"
        async with websockets.connect(url, compression=None, max_size=None, max_queue=2) as ws:
            for _ in range(3):
                await ws.recv()
            for m in ({"type": "set_view", "grid_resolution": 128, "maps": True},
                      {"type": "set_speed", "steps_per_second": 0}, {"type": "play"}):
                await ws.send(json.dumps(m))
            warm = await read_frames(ws, 40)                  # allocations reach their steady state
            assert warm[-1]["step"] > warm[0]["step"]
            samples.append(server.rss_kb())
            # stop reading: first ask for 100 big data sets (each resets the run), then just wait
            await ws.send(json.dumps({"type": "set_config", "config": {"points": 5000}}))
            end = time.monotonic() + PAUSE_S
            for seed in range(100):
                await ws.send(json.dumps({"type": "regenerate", "seed": seed}))
                await asyncio.sleep(0.01)
            while time.monotonic() < end:
                await asyncio.sleep(0.25)
                samples.append(server.rss_kb())
            # read again: fresh frames come (the run trained on meanwhile), and the server answers
            datasets, fresh = 0, None
            while fresh is None:
                msg = json.loads(await next_text(ws))
                datasets += msg["type"] == "dataset"
                if msg["type"] == "frame" and msg["step"] >= 1000:
                    fresh = msg
            await ws.send(json.dumps({"type": "pause"}))
            while True:
                msg = json.loads(await next_text(ws))
                if msg["type"] == "status" and msg["state"] == "paused":
                    return fresh, datasets, msg

    fresh, datasets, status = asyncio.run(scenario())
    growth_mb = (max(samples) - samples[0]) / 1024
    assert growth_mb < BOUND_MB, f"server RSS grew {growth_mb:.1f} MB while the client did not read"
    assert datasets < 50                     # of 100: newer data sets replaced unsent ones
    assert status["step"] >= fresh["step"] >= 1000
    print(f"server RSS {samples[0] / 1024:.1f} MB, grew at most {growth_mb:.1f} MB in {PAUSE_S:g} s unread")
