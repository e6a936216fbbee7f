"""The full-MNIST downloader on small IDX files the test writes and serves itself (a real
http.server on 127.0.0.1, or an injected fetch): the cache, the checksum check, no network."""
import functools
import http.server
import threading
import urllib.error

import numpy as np
import pytest

from engine.digits import idx, mnist


@pytest.fixture
def small(tmp_path, monkeypatch):
    """Four small MNIST-like IDX files in a served directory, and FILES pointing at their checksums."""
    served = tmp_path / "served"
    served.mkdir()
    rng = np.random.default_rng(0)
    arrays = {"train_images": rng.integers(0, 256, (12, 28, 28), dtype=np.uint8),
              "train_labels": rng.integers(0, 10, 12).astype(np.uint8),
              "test_images": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
              "test_labels": rng.integers(0, 10, 5).astype(np.uint8)}
    files = {}
    for role, (name, _, _) in mnist.FILES.items():
        idx.write(served / name, arrays[role])
        files[role] = (name, idx.sha256(served / name), (served / name).stat().st_size)
    monkeypatch.setattr(mnist, "FILES", files)
    return served, arrays


@pytest.fixture
def server(small):
    """A real HTTP server on 127.0.0.1 serving the small files; counts the requests."""
    served, _ = small
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            requests.append(self.path)

    handler = functools.partial(Handler, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", requests
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> str:
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()                                  # nothing listens there now
    return f"http://127.0.0.1:{port}/"


def test_downloads_checks_and_reads_over_http(small, server, tmp_path):
    _, arrays = small
    url, requests = server
    cache = tmp_path / "cache"
    paths = mnist.download(cache, [url])
    assert sorted(p.name for p in paths.values()) == sorted(n for n, _, _ in mnist.FILES.values())
    loaded = mnist.load(cache)
    for role, values in arrays.items():
        assert np.array_equal(loaded[role], values)
    assert len(requests) == 4


def test_the_cache_is_used_the_second_time(small, server, tmp_path):
    url, requests = server
    mnist.download(tmp_path / "cache", [url])
    mnist.download(tmp_path / "cache", [url])
    assert len(requests) == 4                  # nothing fetched again


def test_a_damaged_cached_file_is_fetched_again(small, server, tmp_path):
    url, requests = server
    cache = tmp_path / "cache"
    mnist.download(cache, [url])
    name = mnist.FILES["test_labels"][0]
    (cache / name).write_bytes(b"damaged")
    with pytest.raises(ValueError, match=f"{name} is not in .* run: python -m engine data mnist"):
        mnist.load(cache)
    mnist.download(cache, [url])
    assert len(requests) == 5 and requests[-1] == "/" + name
    assert len(mnist.load(cache)["test_labels"]) == 5


def test_a_wrong_checksum_is_refused_and_nothing_kept(small, tmp_path):
    served, _ = small
    fetched = []

    def fetch(url):
        fetched.append(url)
        data = (served / url.rsplit("/", 1)[1]).read_bytes()
        return data[:-1] + bytes([data[-1] ^ 1]) if "t10k-images" in url else data

    cache = tmp_path / "cache"
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz: sha256 .* does not match the published"):
        mnist.download(cache, ["https://mirror.invalid/mnist/"], fetch)
    assert not (cache / "t10k-images-idx3-ubyte.gz").exists()
    assert not list(cache.glob("*.part"))
    assert fetched[0] == "https://mirror.invalid/mnist/train-images-idx3-ubyte.gz"


def test_the_next_mirror_is_tried_when_one_fails(small, tmp_path):
    served, _ = small
    tried = []

    def fetch(url):
        tried.append(url)
        if url.startswith("https://down.invalid/"):
            raise urllib.error.URLError("connection refused")
        return (served / url.rsplit("/", 1)[1]).read_bytes()

    mnist.download(tmp_path / "c", ["https://down.invalid/", "https://up.invalid/"], fetch)
    assert len(tried) == 8 and tried[1] == "https://up.invalid/train-images-idx3-ubyte.gz"


def test_main_with_no_network_says_so_in_one_line_and_exits_2(small, tmp_path, capsys):
    code = mnist.main(["--cache-dir", str(tmp_path / "c"), "--mirror", closed_port()])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: mnist: no network, could not fetch train-images")


def test_main_with_no_network_at_all(small, tmp_path, capsys):
    def offline(url):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    assert mnist.main(["--cache-dir", str(tmp_path / "c")], fetch=offline) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no network" in err
    for base in mnist.MIRRORS:                  # says where it tried
        assert base in err


def test_main_downloads_into_the_cache_dir(small, server, tmp_path, capsys):
    url, _ = server
    assert mnist.main(["--cache-dir", str(tmp_path / "c"), "--mirror", url.rstrip("/")]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"mnist: 12 training and 5 test images, checked, in {tmp_path / 'c'}"


def test_default_cache_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LEARNSCAPE_CACHE", str(tmp_path / "lc"))
    assert mnist.default_cache() == tmp_path / "lc" / "mnist"
    monkeypatch.delenv("LEARNSCAPE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert mnist.default_cache() == tmp_path / "xdg" / "learnscape" / "mnist"



def test_as_a_command_with_no_network_one_line_and_exit_2(tmp_path):
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "engine", "data", "mnist", "--cache-dir", str(tmp_path),
                           "--mirror", closed_port()], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: mnist: no network")
