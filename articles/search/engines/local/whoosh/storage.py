"""The index directory read with ``pread``, by searchers and writers alike.

Not through Whoosh's memory map: every page of a mapped file a worker has
touched counts in its resident set, and a few heavy searches touch most of
the postings (over 100 MB per worker on 15,000 articles). Read with
``pread``, the pages stay in the kernel's page cache, shared by every
process, and a process holds only the bytes it is decoding. Whoosh opens
each part of a compound segment file as a window of one file (``subset``),
so a storage that opens files this way is all it takes: nothing of Whoosh
is replaced.
"""

import os

from whoosh.filedb import structfile
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC


# Bytes read past what was asked, so the small reads Whoosh makes one after
# another cost one system call, not several. A read that carries on where the
# last one ended (a posting list, block after block) reads READ_AHEAD ahead;
# any other (a term's hash slot, then its entry; one document's stored
# fields) reads SPARSE_READ_AHEAD, enough for a term entry with its key and
# term info, so a lookup does not copy a long read-ahead it will not use.
# Reads larger than the read-ahead go straight to the caller.
READ_AHEAD = 16 * 1024
SPARSE_READ_AHEAD = 512


class _WindowReader:
    """Sequential reads of the byte range [start, start + length) of a file, by ``os.pread``.

    Every window of one file shares its unbuffered file object and keeps its
    own position, as the windows of a memory map do. Once that file object is
    closed (its segment reader was closed), reads raise ValueError instead of
    reading whatever file took over the descriptor number.
    """

    def __init__(self, raw, start, length):
        self._raw = raw
        self._start = start
        self._end = start + length
        self._pos = start
        self._buffer = self._other = b""
        self._buffer_at = self._other_at = start
        self._read_to = None  # where the last read from the file ended

    def _pread(self, size, position):
        data = os.pread(self._raw.fileno(), size, position)
        if len(data) < size:
            # The file is shorter than its table of contents says.
            raise EOFError(f"{self._raw.name}: {size} bytes at {position} asked, {len(data)} there")
        self._read_to = position + size
        return data

    def read(self, size=-1):
        return self.read_at(self._pos, size)

    def peek(self, size=1):
        """Bytes from the position on, without moving it: pickle reads a posting block's header with one peek."""
        if self._pos >= self._end:
            return b""
        if not 0 <= self._pos - self._buffer_at < len(self._buffer):
            self.read_at(self._pos, 1)  # into a buffer (either one)
            self._pos -= 1
        return self._buffer[self._pos - self._buffer_at:]

    def read_at(self, pos, size):
        """``size`` bytes (to the window's end if negative) from byte ``pos`` of the file.

        The position moves past them, as after ``seek`` and ``read``.
        """
        end = self._end if size is None or size < 0 else min(self._end, pos + size)
        if end <= pos:
            self._pos = pos
            return b""
        if self._raw.closed:
            raise ValueError(f"{self._raw.name}: read after its segment was closed")
        offset = pos - self._buffer_at
        if offset < 0 or end - self._buffer_at > len(self._buffer):
            # Two buffers: a term lookup reads a hash slot, then the entry it
            # points to, elsewhere; Whoosh looks a term up two or three times.
            self._buffer, self._buffer_at, self._other, self._other_at = (
                self._other, self._other_at, self._buffer, self._buffer_at)
            offset = pos - self._buffer_at
            if 0 <= offset and end - self._buffer_at <= len(self._buffer):
                self._pos = end
                return self._buffer[offset:offset + end - pos]
            ahead = READ_AHEAD if pos == self._read_to else SPARSE_READ_AHEAD
            if end - pos >= ahead:
                data = self._pread(end - pos, pos)
                self._pos = end
                return data
            self._buffer = self._pread(min(ahead, self._end - pos), pos)
            self._buffer_at, offset = pos, 0
        self._pos = end
        return self._buffer[offset:offset + end - pos]

    def readline(self, size=-1):
        limit = self._end if size is None or size < 0 else min(self._end, self._pos + size)
        line = b""
        while self._pos < limit:
            chunk = self.read(min(256, limit - self._pos))
            newline = chunk.find(b"\n")
            if newline >= 0:
                self._pos -= len(chunk) - newline - 1
                return line + chunk[:newline + 1]
            line += chunk
        return line

    def seek(self, offset, whence=0):
        base = self._start if whence == 0 else (self._pos if whence == 1 else self._end)
        self._pos = base + offset
        return self._pos - self._start

    def tell(self):
        return self._pos - self._start

    def flush(self):
        pass

    def close(self):
        self._buffer = self._other = b""


class WindowFile(structfile.StructFile):
    """Whoosh's StructFile over a ``_WindowReader``; ``subset`` gives a window of the same file.

    Only the file as opened owns the descriptor: closing it (Whoosh closes a
    compound segment file when its reader is closed) closes every window.
    """

    def __init__(self, raw, start, length, name=None, onclose=None, owner=False):
        super().__init__(_WindowReader(raw, start, length), name=name, onclose=onclose)
        self._raw, self._start, self._owner = raw, start, owner

    def subset(self, offset, length, name=None):
        return WindowFile(self._raw, self._start + offset, length, name=name or self._name)

    def get(self, position, length):
        # StructFile.get is seek() then read(), four Python calls deep; term
        # lookups call it several times per term per segment.
        return self.file.read_at(self._start + position, length)

    def close(self):
        super().close()
        if self._owner:
            self._raw.close()



class PreadStorage(FileStorage):
    """An index directory whose files are read by ``pread``, none memory-mapped.

    ``readonly`` for searchers; writers open the same directory writable.
    """

    def __init__(self, path, readonly=False):
        super().__init__(path, supports_mmap=False, readonly=readonly)

    def open_file(self, name, **kwargs):
        raw = open(os.path.join(self.folder, name), "rb", buffering=0)
        try:
            length = os.fstat(raw.fileno()).st_size
        except OSError:
            raw.close()
            raise
        return WindowFile(raw, 0, length, name=name, owner=True, **kwargs)


def latest_toc(storage, indexname):
    """(generation, file name) of the index's newest table of contents; Whoosh has no public accessor."""
    generation = TOC._latest_generation(storage, indexname)
    return generation, TOC._filename(indexname, generation)

