"""Where the index lives: opening it, the single-writer lock, the reader cache.

Whoosh allows one writer at a time. Every write in phnews (queue drain,
haystack's update/rebuild commands, bulk builds) first takes an exclusive
``fcntl.flock`` on a lock file beside the index directory, so Whoosh's own
lock is never contended and no request ever sees a LockError. The lock file
sits outside the index directory because ``rebuild_index`` deletes that
directory.

Readers are cached per process and per directory: opening a Whoosh searcher
reads every segment's directory and term tables, which dominates a query's
cost if done every time (as haystack does). ``searcher()`` replaces the
cached one only when another process has committed a new generation, and
drops it on any failure.
"""

import contextlib
import fcntl
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from articles.search.engines.local.whoosh.storage import PreadStorage, latest_toc
from articles.search.text import ANALYSIS_VERSION
from articles.search.engines.local.schema import build_schema
from articles.search.engines.local.scoring import SaturatedTfIdf

INDEX_NAME = "MAIN"  # haystack's Whoosh backend uses Whoosh's default name

# Beside the index files: the analysis and the file layout the index was
# written with. Field names change with neither, so this is what tells
# bin/run that an index from an earlier version must be rebuilt, before
# anything opens it (an index whose pickles name classes by an old module
# path cannot be opened at all).
ANALYSIS_FILE = "phnews_analysis.txt"
# Layout 2: our classes pickled by copyreg code (whoosh/__init__.py), not by
# module path; only our fixed block headers.
LAYOUT = "layout 2"
WRITTEN_WITH = f"{ANALYSIS_VERSION}; {LAYOUT}"


@dataclass
class IndexState:
    """What bin/run's index check needs, read without opening an outdated index."""

    documents: int | None  # None: no index, or one too old to open
    fields: set = field(default_factory=set)
    written_with: str | None = None  # None: no index; "" for an index older than the record
    wanted: str = WRITTEN_WITH

    @property
    def changed_fields(self):
        """Fields this version's schema and the index's do not share."""
        return self.fields ^ set(build_schema().names())


def state(path):
    if not exists(path):
        return IndexState(documents=None)
    written_with = analysis_of(path)
    if written_with != WRITTEN_WITH:
        return IndexState(documents=None, written_with=written_with)
    index = PreadStorage(str(path), readonly=True).open_index(indexname=INDEX_NAME)
    try:
        return IndexState(documents=index.doc_count(), fields=set(index.schema.names()), written_with=written_with)
    finally:
        index.close()


def exists(path):
    """True if ``path`` holds an index; never opens it (Whoosh's ``exists_in`` does, and unpickles its schema)."""
    return Path(path).is_dir() and latest_toc(PreadStorage(str(path), readonly=True), INDEX_NAME)[0] > -1


def stamp_analysis(path):
    """Record that the index at ``path`` (just created, still empty) is written with this version's analysis and layout."""
    (Path(path) / ANALYSIS_FILE).write_text(WRITTEN_WITH + "\n", encoding="utf-8")


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
    if exists(path):
        return PreadStorage(str(path)).open_index(indexname=INDEX_NAME, schema=schema or build_schema())
    return create_empty(path, schema)


def create_empty(path=None, schema=None):
    """A new empty index at ``path``, stamped with this version's analysis and layout."""
    path = Path(path or default_path())
    path.mkdir(parents=True, exist_ok=True)
    index = PreadStorage(str(path)).create_index(schema or build_schema(), indexname=INDEX_NAME)
    stamp_analysis(path)
    return index


_readers = {}  # directory -> (searcher, stamp)
_failures = {}  # directory -> (stamp, monotonic time) of its last failed open
REOPEN_SECONDS = 5
_readers_lock = threading.Lock()


def _stamp(key):
    """What identifies the committed state of the index in ``key``: its latest
    table of contents, by generation *and* file identity.

    The generation alone is not enough: a rebuild (or a directory swapped in)
    counts generations from the start again, so an old searcher could look
    current while its files are gone.
    """
    generation, toc_name = latest_toc(PreadStorage(key, readonly=True), INDEX_NAME)
    toc = os.stat(os.path.join(key, toc_name))
    return generation, toc.st_ino, toc.st_mtime_ns, os.stat(key).st_ino


def searcher(path=None):
    """A per-process searcher for ``path``, replaced when the index changed.

    Searchers are shared between threads of one process; Whoosh searchers are
    read-only and safe for that. A replaced searcher is not closed (a thread
    may still be reading it); it is freed with its last reference. Any
    failure while checking or opening leaves no searcher cached, so the next
    call starts from the files on disk: a damaged index, once repaired, is
    used again without a restart.
    """
    key = str(Path(path or default_path()))
    with _readers_lock:
        cached = _readers.pop(key, None)
        try:
            stamp = _stamp(key)
        except FileNotFoundError:  # no index yet
            stamp = None
        if cached is not None and cached[1] == stamp:
            _readers[key] = cached
            return cached[0]
        failed = _failures.get(key)
        if failed is not None and failed[0] == stamp and time.monotonic() - failed[1] < REOPEN_SECONDS:
            # Whoosh retries a missing file for half a second before giving
            # up; an index that just failed to open is not tried again until
            # it changes or REOPEN_SECONDS pass.
            raise IndexUnavailable(f"the index in {key} failed to open {time.monotonic() - failed[1]:.1f} s ago")
        try:
            if stamp is None:
                # A reader never creates an index: an empty one would answer
                # every search with nothing, as if the archive were empty.
                # Writers (the queue, rebuild_index, bin/run) create it.
                raise IndexUnavailable(f"no search index in {key}")
            # Not Whoosh's refresh(): it closes the old reader even when opening
            # the new one fails, and a later refresh then raises ReaderClosed.
            # Read, not mapped: mapped pages a search touched would stay in
            # this worker's resident set (whoosh/storage.py).
            index = PreadStorage(key, readonly=True).open_index(indexname=INDEX_NAME, schema=build_schema())
            fresh = index.searcher(weighting=SaturatedTfIdf())
        except Exception:
            _failures[key] = (stamp, time.monotonic())
            raise
        _failures.pop(key, None)
        _readers[key] = (fresh, stamp)
        return fresh


class IndexUnavailable(RuntimeError):
    """The index failed to open a moment ago and has not changed since."""


def forget(path=None):
    """Drop this process's searcher of ``path`` after it failed; the next search reopens the index."""
    with _readers_lock:
        _readers.pop(str(Path(path or default_path())), None)


def forget_readers():
    """Drop cached searchers (tests and rebuilds that replace the directory)."""
    with _readers_lock:
        for reader, _stamp_ in _readers.values():
            with contextlib.suppress(Exception):
                reader.close()
        _readers.clear()
        _failures.clear()
