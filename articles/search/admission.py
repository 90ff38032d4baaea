"""Admission by cost: heavy searches share a few host-wide slots, so ordinary pages keep a core.

A search's cost is decided before any index work, from the parsed query
alone (``querylang.weight``, carried as ``Plan.weight``): every distinct bigram of its literals is one posting list
to look up in every index segment and intersect, every word of a fuzzy term
one more literal to check. A query heavier than PHNEWS_SEARCH_HEAVY_WEIGHT
needs one of PHNEWS_SEARCH_HEAVY_SLOTS slots, ``flock``-ed files in the var
directory shared by every worker on the host. No slot free: the reader is
told at once to try again (``Busy``); nothing waits for a slot, because a
worker waiting for one is a worker taken from the ordinary pages. An
admitted heavy search runs at lowered CPU priority (``run_niced``), so on a
busy host the ordinary pages' requests run first.

The slot is an open file's lock: it is released when the search ends, raises
or its process dies (even on kill -9).

Slots are shared fairly between clients: a client refused for want of a slot
gets the next one that frees up, reserved for it for ``RESERVED_SECONDS``
(its Retry-After, and some), so one client sending heavy searches without a
pause cannot take every slot back the moment it frees it. A client is its
address as the server sees it (``REMOTE_ADDR``): behind a proxy that is the
proxy's, and the reservation then only alternates with other hosts.

Settings: docs/operations.md, "Guards"; figures: docs/load.md.
"""

import contextlib
import fcntl
import hashlib
import os
import threading
import time

from django.conf import settings


MESSAGE = "检索繁忙：此刻进行中的复杂检索太多，请稍后再试；简短的检索词不受影响，可以立即检索。"
# Seconds a refused reader (or client) is asked to wait: about the longest a heavy search runs.
RETRY_AFTER_SECONDS = "2"
SLOTS_DIR = "search-slots"
RESERVATION = "reserved"
RESERVED_SECONDS = 4


class Busy(Exception):
    """Every heavy-search slot on this host is taken."""


def is_heavy(plan):
    """True if the plan asks for more index work (``Plan.weight``) than an ordinary search."""
    return plan.weight > settings.PHNEWS_SEARCH_HEAVY_WEIGHT


def slot_paths():
    folder = settings.VAR_DIR / SLOTS_DIR
    return [folder / f"slot-{n}.lock" for n in range(max(1, settings.PHNEWS_SEARCH_HEAVY_SLOTS))]


@contextlib.contextmanager
def slot(client=""):
    """Hold one free heavy-search slot for the block; raises Busy at once if none is free to ``client``.

    A slot is free to a client unless another client, refused before, holds
    the reservation (see the module docstring).
    """
    name = hashlib.sha256(client.encode()).hexdigest()[:16]
    with _reservation() as reserved:
        holder = reserved.read()
        if holder and holder != name:
            raise Busy("the next free heavy-search slot is reserved for another client")
        try:
            fd = _take_free_slot()
        except Busy:
            if not holder:
                reserved.write(name)
            raise
        if holder == name:
            reserved.write("")
    try:
        yield
    finally:
        os.close(fd)  # closing the file releases its lock


class _Reserved:
    """The reservation file: who gets the next free slot, until when."""

    def __init__(self, fd):
        self.fd = fd

    def read(self):
        os.lseek(self.fd, 0, os.SEEK_SET)
        holder, _, until = os.read(self.fd, 64).decode("ascii", "replace").partition(" ")
        try:
            return holder if float(until) > time.time() else ""
        except ValueError:
            return ""

    def write(self, holder):
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{holder} {time.time() + RESERVED_SECONDS}".encode("ascii") if holder else b"", 0)


@contextlib.contextmanager
def _reservation():
    path = settings.VAR_DIR / SLOTS_DIR / RESERVATION
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield _Reserved(fd)
    finally:
        os.close(fd)


def _take_free_slot():
    for path in slot_paths():
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            # Each attempt opens the file afresh: flock locks belong to an
            # open file, so two searches in one process exclude each other too.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    raise Busy(f"all {len(slot_paths())} heavy-search slots are taken")


def run_niced(function, *args):
    """``function(*args)`` on a short-lived thread whose CPU priority is PHNEWS_SEARCH_HEAVY_NICE lower.

    Linux lets a thread raise its own nice value but not lower it again, so
    the work gets a thread of its own that ends with it; the worker's main
    thread, which serves the next request, keeps its priority.
    """
    nice = settings.PHNEWS_SEARCH_HEAVY_NICE
    if nice <= 0:
        return function(*args)
    outcome = {}

    def work():
        tid = threading.get_native_id()
        try:
            os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
        except (AttributeError, OSError):
            pass  # no per-thread priority here (not Linux): run at the usual priority
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread below
            outcome["error"] = error

    thread = threading.Thread(target=work, name="heavy-search", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
