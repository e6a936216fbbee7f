"""Data in and models out over a real websocket (uvicorn on loopback): a CSV uploaded in parts
trains; bad ones are refused with a clear error and the session keeps its data; a downloaded run
opened again continues exactly; a text upload switches to the text task; oversize and
out-of-order uploads are refused; the export files work."""
import asyncio
import base64
import json
import runpy

import numpy as np
import pytest
import websockets

from server import protocol as wire
from server.errors import PHRASES

CHUNK = 20_000


def csv_text(n=300, classes=3):
    rng = np.random.default_rng(0)
    rows = ["height,weight,note,species"]
    for i in range(n):
        k = i % classes
        rows.append(f"{rng.normal(k, 0.3):.4f},{rng.normal(-k, 0.3):.4f},row {i},s{k}")
    return "\n".join(rows) + "\n"


class Client:
    def __init__(self, ws):
        self.ws, self.seen = ws, []

    async def send(self, msg):
        await self.ws.send(json.dumps(msg))

    async def until(self, pred, seconds=30.0):
        """The first JSON message with pred(msg); everything before it is kept in self.seen."""
        async with asyncio.timeout(seconds):
            while True:
                raw = await self.ws.recv()
                if isinstance(raw, bytes):
                    continue
                msg = json.loads(raw)
                wire.server_adapter.validate_python(msg)
                if pred(msg):
                    return msg
                self.seen.append(msg)

    async def upload(self, purpose, name, data, chunk=CHUNK):
        parts = [data[i:i + chunk] for i in range(0, len(data), chunk)] or [""]
        for k, part in enumerate(parts):
            await self.send({"type": "upload", "purpose": purpose, "name": name, "part": k,
                             "parts": len(parts), "data": part})
        return len(parts)

    async def frame_at(self, step):
        return await self.until(lambda m: m["type"] == "frame" and m["step"] >= step)

    async def download(self, what):
        await self.send({"type": "download", "what": what})
        return await self.until(lambda m: m["type"] in ("file", "error"))


def session(live_server, body):
    async def main():
        async with websockets.connect(f"ws://{live_server}/ws", compression=None, max_size=None) as ws:
            c = Client(ws)
            await c.until(lambda m: m["type"] == "status")
            c.seen = []
            return await body(c)
    return asyncio.run(main())


def test_an_uploaded_csv_trains_on_its_columns(live_server):
    async def body(c):
        text = csv_text()
        parts = await c.upload("csv", "iris.csv", text, chunk=4000)
        assert parts > 1
        table = await c.until(lambda m: m["type"] == "csv_table")
        progress = [m for m in c.seen if m["type"] == "upload_progress"]
        assert [p["received"] for p in progress] == list(range(1, parts + 1)) and progress[-1]["done"]
        assert progress[-1]["bytes"] == len(text.encode())
        assert table["numeric"] == ["height", "weight"] and table["rows"] == 300
        await c.send({"type": "use_csv", "x": ["height", "weight"], "y": "species", "standardize": True,
                      "train_ratio": 0.6})
        config = await c.until(lambda m: m["type"] == "config")
        dataset = await c.until(lambda m: m["type"] == "dataset")
        info = await c.until(lambda m: m["type"] == "csv_data")
        assert config["config"]["dataset"] == "custom" and config["config"]["classes"] == 3
        assert dataset["kind"] == "multiclass" and (len(dataset["train"]), len(dataset["test"])) == (180, 120)
        assert {row[2] for row in dataset["train"]} == {0.0, 1.0, 2.0}
        assert info["classes"] == ["s0", "s1", "s2"] and info["inputs"] == ["height", "weight"]
        await c.send({"type": "set_config", "config": {"learning_rate": 0.1}})
        await c.send({"type": "step", "n": 200})
        last = await c.frame_at(200)
        assert last["loss_train"] < 0.5 < np.log(3) and last["accuracy_test"] > 0.9      # chance: log 3
        await c.send({"type": "set_config", "config": {"dataset": "spiral"}})             # and back again
        config = await c.until(lambda m: m["type"] in ("config", "error"))
        assert config["type"] == "config" and config["config"]["dataset"] == "spiral"
    session(live_server, body)


def test_a_bad_csv_is_refused_and_the_session_keeps_its_data(live_server):
    async def body(c):
        before = (await c.download("run"))["data"]
        await c.upload("csv", "ragged.csv", "a,b,c\n1,2,3\n4,5\n")
        err = await c.until(lambda m: m["type"] == "error")
        assert err["code"] == "csv_invalid" and "line 3" in err["message"] and "allowed" in err["message"]
        assert "ragged.csv" in err["params"]["name"] and PHRASES["csv_invalid"][1]
        await c.upload("csv", "one.csv", "a,b,y\n1,2,x\n3,4,x\n5,6,x\n")
        await c.until(lambda m: m["type"] == "csv_table")
        await c.send({"type": "use_csv", "x": ["a", "b"], "y": "y"})
        err = await c.until(lambda m: m["type"] == "error")
        assert err["code"] == "csv_invalid" and "one class only" in err["message"]
        await c.send({"type": "use_csv", "x": ["a", "nope"], "y": "y"})
        err = await c.until(lambda m: m["type"] == "error")
        assert "nope" in err["message"] and "allowed" in err["message"]
        after = (await c.download("run"))["data"]
        assert not any(m["type"] in ("config", "dataset") for m in c.seen)
        a, b = json.loads(before), json.loads(after)
        assert a["config"] == b["config"] and a["data"] == b["data"] and a["config"]["dataset"] != "custom"
    session(live_server, body)


def test_a_downloaded_run_opened_again_continues_with_the_same_weights(live_server):
    async def body(c):
        await c.send({"type": "set_config", "config": {"dataset": "spiral", "optimizer": "adam", "batch_size": 10,
                                                       "hidden": [6, 5], "learning_rate": 0.03}})
        await c.until(lambda m: m["type"] == "status")
        await c.send({"type": "step", "n": 123})
        await c.frame_at(123)
        run = await c.download("run")
        assert run["name"].endswith(".json") and json.loads(run["data"])["resume"]["step"] == 123
        await c.send({"type": "step", "n": 100})
        stayed = await c.frame_at(223)
        await c.send({"type": "set_config", "config": {"dataset": "xor", "hidden": [3]}})   # wander off
        await c.until(lambda m: m["type"] == "status")
        await c.upload("run", "run.json", run["data"], chunk=1500)
        config = await c.until(lambda m: m["type"] == "config")
        status = await c.until(lambda m: m["type"] == "status")
        assert config["applied"] == "restored" and config["config"]["dataset"] == "spiral" and status["step"] == 123
        await c.send({"type": "step", "n": 100})
        back = await c.frame_at(223)
        assert back["step"] == stayed["step"] == 223
        assert back["weights"] == stayed["weights"] and back["loss_train"] == stayed["loss_train"]
    session(live_server, body)


def test_custom_data_without_a_file_is_refused_clearly(live_server):
    async def body(c):
        await c.send({"type": "set_config", "config": {"dataset": "custom"}})
        err = await c.until(lambda m: m["type"] == "error")
        assert err["field"] == "config.dataset" and "upload a CSV" in err["message"]
    session(live_server, body)


def test_a_bad_run_file_is_refused(live_server):
    async def body(c):
        await c.upload("run", "junk.json", "{not json")
        err = await c.until(lambda m: m["type"] == "error")
        assert err["code"] == "run_invalid" and "junk.json" in err["message"] and "allowed" in err["message"]
        await c.upload("run", "w.json", json.dumps({"version": 1, "config": {"hidden": [4]},
                                                    "weights": [{"W": [[1.0]], "b": [0.0]}]}))
        err = await c.until(lambda m: m["type"] == "error")
        assert err["code"] == "run_invalid"
        await c.send({"type": "step", "n": 5})
        assert (await c.frame_at(5))["step"] == 5               # the session went on
    session(live_server, body)


def test_a_text_upload_switches_the_session_to_the_text_task():
    from server.session import Session
    s = Session()
    s.start()
    s.outbox.clear()
    text = "".join(f"Line {i}: the quick brown fox jumps over the lazy dog.\n" for i in range(400))
    for k in range(3):
        part = text[k * 8000:(k + 1) * 8000]
        s.handle(json.dumps({"type": "upload", "purpose": "text", "name": "fox.txt", "part": k, "parts": 3,
                             "data": part}))
    config = [m for m in s.outbox if isinstance(m, dict) and m["type"] == "config"]
    assert config[0]["config"]["dataset"] == "text" and s.trainer.task.name == "text"
    assert s.trainer.task.corpus.name == "fox.txt"
    s.trainer.run(20)
    assert s.trainer.step_count == 20


@pytest.mark.xfail(strict=True, reason="frames of the text task come with the text workspace's branch: "
                                       "on this branch building one ends the session (RNN has no sizes)")
def test_a_text_upload_switches_to_the_text_task_over_the_websocket(live_server):
    async def body(c):
        await c.upload("text", "short.txt", "too short")
        err = await c.until(lambda m: m["type"] == "error")
        assert err["code"] == "text_invalid" and "allowed" in err["message"]
        text = "".join(f"Line {i}: the quick brown fox jumps over the lazy dog.\n" for i in range(400))
        await c.upload("text", "fox.txt", text)
        config = await c.until(lambda m: m["type"] == "config")
        assert config["config"]["dataset"] == "text" and config["applied"] == "rebuild"
        assert not any(m["type"] == "config" for m in c.seen)      # the short one changed nothing
    session(live_server, body)


def test_oversize_and_out_of_order_uploads_are_refused(live_server):
    limit, chunk = wire.LIMITS["max_upload_bytes"], wire.LIMITS["max_upload_chunk"]
    assert limit >= 2_000_000 + 1000 and limit > len(csv_text(10_000).encode())

    async def body(c):
        parts = limit // chunk + 2
        for k in range(parts):
            await c.send({"type": "upload", "purpose": "csv", "name": "big.csv", "part": k, "parts": parts,
                          "data": "1" * chunk})
            if (k + 1) * chunk > limit:
                break
        err = await c.until(lambda m: m["type"] == "error")
        assert err["code"] == "upload_too_large" and str(limit) in err["message"]
        await c.send({"type": "upload", "purpose": "csv", "name": "a.csv", "part": 1, "parts": 2, "data": "x"})
        err = await c.until(lambda m: m["type"] == "error")
        assert err["code"] == "upload_order" and "in order" in err["message"]
        assert not any(m["type"] in ("config", "csv_table") for m in c.seen)
    session(live_server, body)


def test_exports_arrive_as_files_that_work(live_server):
    ort = pytest.importorskip("onnxruntime")

    async def body(c):
        await c.send({"type": "set_config", "config": {"dataset": "circle", "activation": "tanh", "hidden": [5, 3]}})
        await c.until(lambda m: m["type"] == "status")
        await c.send({"type": "step", "n": 60})
        await c.frame_at(60)
        return {w: await c.download(w) for w in ("onnx", "numpy", "report")}

    files = session(live_server, body)
    assert {f["type"] for f in files.values()} == {"file"}
    onnx_bytes = base64.b64decode(files["onnx"]["data"])
    points = np.random.default_rng(3).uniform(-6, 6, (50, 2))
    s = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    got = s.run(["output"], {"points": points.astype(np.float32)})[0]
    code = {}
    exec(compile(files["numpy"]["data"], "learnscape_model.py", "exec"), code)
    assert np.abs(got - code["predict"](points)).max() < 1e-5
    report = files["report"]["data"]
    assert files["report"]["mime"] == "text/html" and report.lower().startswith("<!doctype html") and "figure-3" in report
