"""Requests per second of the reading pages under gunicorn.

    .venv/bin/python bench/browse_load.py [--workers N] [--seconds S] [--clients C]

Builds a scratch archive (the five sample pages, imported), starts gunicorn
with gunicorn.conf.py on a free port, and has C keep-alive clients fetch the
home, calendar, issue, page, article, person and JSON pages in turn for S
seconds. Prints requests/s and latency percentiles per kind of page. Nothing
outside a temporary folder is touched.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def urls_of(env):
    script = (
        "import django; django.setup()\n"
        "from articles.models import Article, Person, Issue, Page\n"
        "a = Article.objects.select_related('page__issue').order_by('pk')[0]\n"
        "p = Person.objects.order_by('pk')[0]\n"
        "i = Issue.objects.order_by('date')[0]\n"
        "pg = Page.objects.select_related('issue').order_by('pk')[0]\n"
        "print('home /'); print('calendar /calendar/2023/'); print('issue', i.get_absolute_url())\n"
        "print('page', pg.get_absolute_url()); print('article', a.get_absolute_url())\n"
        "print('person', p.get_absolute_url()); print('json', f'/api/{i.date}.json')\n"
    )
    out = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return [tuple(line.split(" ", 1)) for line in out.strip().splitlines()]


def client(port, urls, stop, results):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while not stop.is_set():
        kind, url = urls[n % len(urls)]
        n += 1
        start = time.perf_counter()
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
        except OSError as error:
            results.setdefault("errors", []).append((url, repr(error)))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        elapsed = time.perf_counter() - start
        if response.status != 200:
            results.setdefault("errors", []).append((url, response.status))
        results.setdefault(kind, []).append(elapsed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="phnews-browse-bench-") as scratch:
        env = dict(os.environ, DJANGO_DEBUG="false", PHNEWS_VAR_DIR=scratch, PHNEWS_DATA_DIR=scratch, DJANGO_SECRET_KEY="bench",
                   DJANGO_SETTINGS_MODULE="phnews.settings", DJANGO_ALLOWED_HOSTS="127.0.0.1",
                   DJANGO_STATIC_ROOT=str(Path(scratch) / "static"), PHNEWS_LOG_LEVEL="WARNING")
        manage(env, "migrate", "-v0")
        manage(env, "import_pages", str(ROOT / "data" / "samples"), "--no-copy")
        manage(env, "collectstatic", "--noinput", "-v0")
        urls = urls_of(env)
        port = free_port()
        server = subprocess.Popen(
            [str(Path(PYTHON).with_name("gunicorn")), "-c", "gunicorn.conf.py", "phnews.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--access-logfile", "/dev/null"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(Path(scratch) / "gunicorn.log", "w"),
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            for kind, url in urls * args.workers:  # every worker loads code and templates first
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                c.request("GET", url)
                first = c.getresponse()
                if first.status != 200:
                    sys.exit(f"{url}: HTTP {first.status}\n{first.read().decode(errors='replace')[:2000]}")
            stop = threading.Event()
            results = {}
            threads = [threading.Thread(target=client, args=(port, urls, stop, results)) for _ in range(args.clients)]
            began = time.perf_counter()
            for t in threads:
                t.start()
            time.sleep(args.seconds)
            stop.set()
            for t in threads:
                t.join()
            took = time.perf_counter() - began
        except SystemExit:
            print((Path(scratch) / "gunicorn.log").read_text()[-3000:])
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)
    errors = results.pop("errors", [])
    total = sum(len(v) for v in results.values())
    print(f"gunicorn {args.workers} workers, {args.clients} clients, {took:.1f}s: "
          f"{total} requests, {total / took:.0f} requests/s, {len(errors)} errors")
    for kind, times in results.items():
        times.sort()
        print(f"  {kind:9} n={len(times):6}  median {statistics.median(times) * 1000:6.1f} ms  "
              f"p95 {times[int(len(times) * 0.95)] * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
