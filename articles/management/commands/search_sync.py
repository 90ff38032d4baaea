"""Apply queued search-index updates: once, or continuously as the archive's one background writer.

``search_sync`` drains the queue once (after an index outage, from cron).
``search_sync --loop`` keeps draining: it looks at the queue every
``--interval`` seconds (PHNEWS_SEARCH_SYNC_INTERVAL, default 1) and writes
whatever is there, so an edit saved in the admin is searchable about a
second later while the save itself never waits for the index. ``bin/run``
starts it beside gunicorn with ``--parent`` set to gunicorn's pid, and it
exits when that process is gone. SIGTERM or SIGINT end it after the batch
in hand.
"""

import os
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from articles.search import sync

# After an error (the database or index unreachable) wait longer each time, up to this.
MAX_BACKOFF_SECONDS = 60


class Command(BaseCommand):
    help = "Write queued article changes into the search index (--loop: keep doing so)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep draining the queue until stopped")
        parser.add_argument("--interval", type=float, default=None,
                            help="seconds between looks at the queue (default: PHNEWS_SEARCH_SYNC_INTERVAL, 1)")
        parser.add_argument("--parent", type=int, default=None,
                            help="our parent's pid: exit when it is gone (bin/run passes gunicorn's)")

    def handle(self, *args, loop=False, interval=None, parent=None, **options):
        if not loop:
            before = sync.pending()
            sync.drain()
            after = sync.pending()
            self.stdout.write(f"{before - after} queued updates applied, {after} left.")
            return
        interval = interval if interval is not None else settings.PHNEWS_SEARCH_SYNC_INTERVAL
        self.run_loop(max(0.05, interval), parent)

    def say(self, message):
        self.stdout.write(f"search_sync: {message}")
        self.stdout.flush()

    def run_loop(self, interval, parent=None, stopping=None):
        """Drain every ``interval`` seconds until SIGTERM/SIGINT (or, when given, ``stopping`` is non-empty)."""
        if stopping is None:
            stopping = []
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stopping.append(True))
        self.say(f"watching the index queue every {interval:g} s (pid {os.getpid()})")
        backoff = 0
        while not stopping:
            if parent and not _alive(parent):
                self.say(f"process {parent} is gone, stopping")
                break
            close_old_connections()
            try:
                size, _ = sync.queue_state()
                if size:
                    started = time.monotonic()
                    sync.drain()
                    left, _ = sync.queue_state()
                    if left != size:  # tasks waiting for a retry are not news every second
                        self.say(f"queue {size} -> {left} tasks in {time.monotonic() - started:.2f} s")
                backoff = 0
            except Exception as error:  # noqa: BLE001 - the loop outlives any one failure
                backoff = min(max(1, backoff * 2), MAX_BACKOFF_SECONDS)
                self.stderr.write(f"search_sync: {type(error).__name__}: {error}; trying again in {backoff} s")
                self.stderr.flush()
            _sleep(backoff or interval, stopping)
        close_old_connections()
        self.say("stopped")


def _alive(pid):
    # Orphaned, we are re-parented: the parent pid changes even before it is reused.
    return os.getppid() == pid


def _sleep(seconds, stopping):
    deadline = time.monotonic() + seconds
    while not stopping and time.monotonic() < deadline:
        time.sleep(min(0.1, max(0, deadline - time.monotonic())))
