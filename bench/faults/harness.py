"""A served scratch archive, and what fault cases share.

The archive is what bin/run serves: migrate, static files, the sample pages,
the search index, gunicorn. Everything lives under one work folder; nothing
of the caller's database, index or secret key is used. Counts are read
straight from the SQLite file (read-only), so watching an import costs the
import nothing.
"""

import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from bench.corpus import ARTICLES_PER_PAGE, generate, load_pool, write_page_files

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = ("DJANGO_", "PHNEWS_", "DATABASE_", "GUNICORN_")


class Archive:
    def __init__(self, workdir, port, workers=2, **env):
        self.workdir = Path(workdir)
        self.port = port
        self.var = self.workdir / "var"
        self.data = self.workdir / "data"
        self.log_path = self.workdir / "server.log"
        self.server = None
        self.env = {key: value for key, value in os.environ.items() if not key.startswith(PREFIXES)}
        self.env.update({
            "PHNEWS_VAR_DIR": str(self.var),
            "PHNEWS_DATA_DIR": str(self.data),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "DJANGO_SETTINGS_MODULE": "phnews.settings",
        })
        self.env.update(env)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    # -- serving ------------------------------------------------------------

    def start(self, timeout=300):
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        # bin/run execs gunicorn, so this pid is the gunicorn master.
        self.server = subprocess.Popen([str(ROOT / "bin" / "run")], cwd=ROOT, env=self.env, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"bin/run exited with {self.server.returncode}; see {self.log_path}")
            if self.get("/healthz")[0] == 200:
                return self
            time.sleep(0.5)
        raise RuntimeError(f"the archive did not answer /healthz within {timeout} s; see {self.log_path}")

    def stop(self):
        if self.server is None or self.server.poll() is not None:
            return
        # The whole session: gunicorn and anything bin/run started beside it.
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(10)

    def get(self, path, timeout=30):
        """(status, body text); status 0 when nothing answered."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as error:
            return 0, str(error)

    def healthz(self):
        status, body = self.get("/healthz")
        try:
            return status, json.loads(body)
        except ValueError:
            return status, {"body": body[:200]}

    # -- commands -----------------------------------------------------------

    def command_env(self):
        """What bin/run gives the server: DEBUG off and its secret key."""
        env = dict(self.env, DJANGO_DEBUG="false")
        key = self.var / "secret_key"
        if key.exists():
            env["DJANGO_SECRET_KEY"] = key.read_text().strip()
        return env

    def start_manage(self, *args):
        return subprocess.Popen([sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=self.command_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def manage(self, *args, timeout=600):
        return subprocess.run([sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=self.command_env(),
                              capture_output=True, text=True, timeout=timeout)

    # -- state --------------------------------------------------------------

    def query(self, sql, params=()):
        database = sqlite3.connect(f"file:{self.var / 'phnews.sqlite3'}?mode=ro", uri=True, timeout=30)
        try:
            return database.execute(sql, params).fetchall()
        finally:
            database.close()

    def counts(self):
        (row,) = self.query(
            "SELECT (SELECT count(*) FROM articles_page), (SELECT count(*) FROM articles_article),"
            " (SELECT count(*) FROM articles_indextask)"
        )
        return {"pages": row[0], "articles": row[1], "queued_index_updates": row[2]}

    def articles_per_page(self, names):
        marks = ",".join("?" * len(names))
        rows = self.query(
            f"SELECT p.source_name, count(a.id) FROM articles_page p LEFT JOIN articles_article a ON a.page_id = p.id"
            f" WHERE p.source_name IN ({marks}) GROUP BY p.source_name", list(names))
        return dict(rows)

    def index_documents(self):
        status, report = self.healthz()
        return report.get("index", {}).get("documents")

    def wait_for_index(self, timeout=120):
        """Until the queue is empty and the index holds every article; the last (documents, counts)."""
        deadline = time.monotonic() + timeout
        while True:
            counts, documents = self.counts(), self.index_documents()
            if (counts["queued_index_updates"] == 0 and documents == counts["articles"]) or time.monotonic() > deadline:
                return documents, counts
            if counts["queued_index_updates"]:
                # Whatever drains the queue on this version (a sync loop, the
                # next edit): make sure it happens within the wait.
                self.manage("search_sync", timeout=timeout)
            time.sleep(1)


class Context:
    """What a case gets: the shared archive, fresh page batches, output."""

    def __init__(self, options):
        self.options = options
        self.workdir = Path(options.workdir)
        self.port = options.port
        self._archive = None
        self._batches = 0
        self._pool = None

    @property
    def archive(self):
        if self._archive is None:
            self.say(f"starting the archive on 127.0.0.1:{self.port} (bin/run; log: {self.workdir / 'archive' / 'server.log'})")
            started = time.monotonic()
            self._archive = Archive(self.workdir / "archive", self.port).start()
            self.say(f"archive up in {time.monotonic() - started:.0f} s: {self._archive.counts()}")
        return self._archive

    def batch(self, pages=None):
        """A new folder of page files (with manifest.csv) on dates no earlier batch used.

        Returns (folder, {file name: expected article count}).
        """
        from articles.parsing import parse_page

        pages = pages or self.options.pages
        self._batches += 1
        self._pool = self._pool or load_pool()
        # Each batch gets its own years, so pages of two batches never claim one slot.
        shift = timedelta(days=3653 * self._batches)
        specs = [dataclasses.replace(spec, issue_date=spec.issue_date + shift)
                 for spec in generate(pages * ARTICLES_PER_PAGE, seed=self._batches, pool=self._pool)]
        folder = self.workdir / "batches" / f"batch{self._batches}"
        write_page_files(specs, folder)
        expected = {path.name: len(parse_page(path.read_text(encoding="utf-8")).articles)
                    for path in sorted(folder.glob("*.txt"))}
        return folder, expected

    def say(self, message):
        print(f"  {message}", flush=True)

    def close(self):
        if self._archive is not None:
            self._archive.stop()
