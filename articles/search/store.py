"""Where the index lives: opening it, the single-writer lock, the reader cache.

Whoosh allows one writer at a time. Every write in phnews (queue drain,
haystack's update/rebuild commands, bulk builds) first takes an exclusive
``fcntl.flock`` on a lock file beside the index directory, so Whoosh's own
lock is never contended and no request ever sees a LockError. The lock file
sits outside the index directory because ``rebuild_index`` deletes that
directory.

Readers are cached per process and per directory: opening a Whoosh searcher
copies term files, which dominates a query's cost if done every time (as
haystack does). ``searcher()`` refreshes the cached one only when another
process has committed a new generation.
"""

import contextlib
import fcntl
import os
import threading
from pathlib import Path

from django.conf import settings
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from .index.analysis import ANALYSIS_VERSION
from .index.schema import build_schema
from .query.score import SaturatedTfIdf

INDEX_NAME = "MAIN"  # haystack's Whoosh backend uses Whoosh's default name
# The haystack engine that keeps its index in this directory (backend.py). Named,
# not imported: the backend writes through the queue, which asks this module.
LOCAL_ENGINE = "articles.search.backend.ChineseWhooshEngine"


def uses_local_index():
    """True when the configured haystack engine is ours, so the index is on this disk."""
    return settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"] == LOCAL_ENGINE


# Beside the index files: the analysis the index was written with. Field
# names do not change when the fold does, so this is what tells bin/run that
# an index from an earlier version must be rebuilt.
ANALYSIS_FILE = "phnews_analysis.txt"


def stamp_analysis(path):
    """Record that the index at ``path`` (just created, still empty) is written with this version's analysis."""
    (Path(path) / ANALYSIS_FILE).write_text(ANALYSIS_VERSION + "\n", encoding="utf-8")


def analysis_of(path):
    """The analysis version recorded for the index at ``path``; "" for an index older than the record."""
    try:
        return (Path(path) / ANALYSIS_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def default_path():
    return Path(settings.PHNEWS_INDEX_DIR)


def lock_path(path):
    path = Path(path)
    return path.parent / f".{path.name}.writer.lock"


@contextlib.contextmanager
def writer_lock(path=None, blocking=True):
    """Hold the index's writer lock; yields False if non-blocking and busy."""
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o664)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def open_or_create(path=None, schema=None):
    """The index at ``path``, created empty if missing (caller holds the lock to create)."""
    path = Path(path or default_path())
    path.mkdir(parents=True, exist_ok=True)
    storage = FileStorage(str(path))
    schema = schema or build_schema()
    if whoosh_index.exists_in(str(path), indexname=INDEX_NAME):
        return storage.open_index(indexname=INDEX_NAME, schema=schema)
    index = storage.create_index(schema, indexname=INDEX_NAME)
    stamp_analysis(path)
    return index


def create_empty(path=None):
    path = Path(path or default_path())
    path.mkdir(parents=True, exist_ok=True)
    index = FileStorage(str(path)).create_index(build_schema(), indexname=INDEX_NAME)
    stamp_analysis(path)
    return index


_readers = {}
_readers_lock = threading.Lock()


def searcher(path=None):
    """A per-process searcher for ``path``, refreshed when the index changed.

    Searchers are shared between threads of one process; Whoosh searchers are
    read-only and safe for that.
    """
    key = str(Path(path or default_path()))
    with _readers_lock:
        current = _readers.get(key)
        if current is not None:
            try:
                if current.up_to_date():
                    return current
                fresh = current.refresh()
            except (OSError, whoosh_index.EmptyIndexError):
                # The directory was rebuilt under us: start again.
                fresh = None
            if fresh is not None:
                _readers[key] = fresh
                return fresh
        if not whoosh_index.exists_in(key, indexname=INDEX_NAME):
            with writer_lock(key):
                index = open_or_create(key)
        else:
            index = FileStorage(key).open_index(indexname=INDEX_NAME, schema=build_schema())
        fresh = index.searcher(weighting=SaturatedTfIdf())
        _readers[key] = fresh
        return fresh


def forget_readers():
    """Drop cached searchers (tests and rebuilds that replace the directory)."""
    with _readers_lock:
        for reader in _readers.values():
            with contextlib.suppress(Exception):
                reader.close()
        _readers.clear()
