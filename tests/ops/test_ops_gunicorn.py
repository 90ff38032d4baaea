"""The archive served for real: gunicorn with gunicorn.conf.py on a loopback port."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(django_process, ops_env, tmp_path):
    """The samples prepared as bin/run does, then served by one gunicorn worker."""
    env = ops_env(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="k" * 20 + os.urandom(24).hex())
    prepared = subprocess.run([sys.executable, "bin/lib/prepare.py"], cwd=PROJECT, env=env,
                              capture_output=True, text=True, timeout=300)
    assert prepared.returncode == 0, prepared.stderr
    port = free_port()
    # DJANGO_DEBUG=true here proves gunicorn.conf.py turns debug off regardless.
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", DJANGO_DEBUG="true")
    log = open(tmp_path / "gunicorn.log", "w")
    server = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py"], cwd=PROJECT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail((tmp_path / "gunicorn.log").read_text())
    yield server, base, tmp_path / "gunicorn.log"
    server.terminate()
    server.wait(timeout=60)
    log.close()


def test_served_archive_is_healthy_without_debug_and_reloads_gracefully(served):
    server, base, log = served
    status, _, body = get(f"{base}/healthz")
    assert status == 200 and json.loads(body)["index"]["documents"] == 28

    status, headers, body = get(f"{base}/")
    assert status == 200
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    # whitenoise serves the hashed stylesheet the page links to.
    stylesheet = next(part.split('"')[0] for part in body.decode().split('href="')[1:] if part.startswith("/static/"))
    assert "site." in stylesheet and stylesheet != "/static/css/site.css"
    status, headers, _ = get(base + stylesheet)
    assert status == 200 and "max-age=315360000" in headers["Cache-Control"]

    # No debug page: a 404 does not list the URL patterns.
    status, _, body = get(f"{base}/no-such-page/")
    assert status == 404 and b"URLconf" not in body

    # Graceful reload: new worker, the archive keeps answering.
    server.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 60
    while "Hang up" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert get(f"{base}/healthz")[0] == 200
    assert '"GET / HTTP/1.1" 200' in log.read_text()  # access log on stdout
