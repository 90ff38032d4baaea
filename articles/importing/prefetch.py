"""Parsing the next page files on another core while this one stores the current page.

Parsing is pure Python and about a quarter of an import's time; storing
belongs to the database and stays in one process, one transaction per file,
in order. A run of many files hands the files ahead of the one being stored
to one worker process, which reads, decodes and parses each exactly as the
import does. The import takes a worker's record only for a text whose
digest equals that of the text it read itself, and parses anything else
itself: the worker can save time, never change what is stored. A file the
worker could not read or parse is read again by the import, which says
what is wrong with it.
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from .limits import read_page_text

# Below this many files a worker's start-up costs more than it saves.
MIN_FILES = 50
# Files parsed ahead of the one being stored: enough to keep the worker busy, few enough to hold in memory.
AHEAD = 8


def _parsed(path, root, digest_of):
    try:
        _data, text = read_page_text(path, root)
        from articles.parsing import parse_page

        return digest_of(text), parse_page(text)
    except Exception:  # noqa: BLE001 - the import reads the file again and names the problem
        return None


class Prefetch:
    """The worker's records of ``files``, taken in order: ``starting(i)`` as file i begins, then ``record_for``."""

    def __init__(self, files, digest_of):
        self.files, self.digest_of = list(files), digest_of
        self.pool, self.futures, self.submitted = None, {}, 0
        if len(self.files) >= MIN_FILES and (os.cpu_count() or 1) > 1:
            # fork: the worker needs only the parser, never Django's database connections.
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def starting(self, index):
        """File ``index`` is next: keep AHEAD files after it in the worker, forget those before it."""
        if self.pool is None:
            return
        for done in [i for i in self.futures if i < index]:
            self.futures.pop(done).cancel()  # unchanged or refused: never asked for
        while self.submitted < min(len(self.files), index + 1 + AHEAD):
            path, root = self.files[self.submitted]
            self.futures[self.submitted] = self.pool.submit(_parsed, path, root, self.digest_of)
            self.submitted += 1

    def record_for(self, index, digest):
        """The worker's record of file ``index`` if the text it parsed had ``digest``, else None."""
        future = self.futures.pop(index, None)
        try:
            found = future.result() if future is not None else None
        except Exception:  # noqa: BLE001 - a worker that died: the import parses by itself
            return None
        if found is None or found[0] != digest:
            return None
        return found[1]
