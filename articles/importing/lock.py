"""One import at a time.

Two runs over the same folder used to race: both saw a page as new and one
failed on the unique file name, or SQLite gave up with "database is locked".
A run therefore holds the archive's import lock from before it reads its
first file to its end; a second run waits for it, up to
PHNEWS_IMPORT_LOCK_WAIT seconds, saying so, and then gives up having read
and written nothing.

On PostgreSQL the lock is a session advisory lock, so runs on different
hosts exclude each other too; otherwise it is an flock on a file in the var
directory beside the SQLite database. Either is released by the operating
system or the server when the process dies, even by kill -9.
"""

import contextlib
import fcntl
import os
import time
import zlib
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

LOCK_FILE = "import.lock"
# pg_advisory_lock takes a bigint; any fixed number the project owns will do.
ADVISORY_KEY = zlib.crc32(b"phnews.import_pages")
POLL_SECONDS = 0.5


class ImportBusy(Exception):
    """Another import holds the lock past the wait; str(error) says so."""


@contextlib.contextmanager
def import_lock(wait=None, on_wait=None):
    """Hold the import lock for the block; wait up to ``wait`` seconds for it.

    ``on_wait(message)`` is called once if the lock is busy at first.
    Raises ImportBusy when the wait runs out.
    """
    wait = settings.PHNEWS_IMPORT_LOCK_WAIT if wait is None else wait
    if connection.vendor == "postgresql":
        lock = _AdvisoryLock()
    else:
        lock = _FileLock(Path(settings.VAR_DIR) / LOCK_FILE)
    deadline = time.monotonic() + wait
    told = False
    while not lock.try_acquire():
        if not told and on_wait is not None:
            on_wait(f"另一个导入正在进行（{lock.holder()}），最多等待 {wait:g} 秒……")
            told = True
        if time.monotonic() >= deadline:
            message = (
                f"另一个导入仍在进行（{lock.holder()}），等待 {wait:g} 秒后放弃：本次未读取、未写入任何文件。"
                "请待其结束后重试（等待时间见 PHNEWS_IMPORT_LOCK_WAIT）"
            )
            lock.close()
            raise ImportBusy(message)
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        lock.release()


class _FileLock:
    def __init__(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW: a link planted at the lock's name must not be written through.
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)

    def try_acquire(self):
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()} {datetime.now().isoformat(timespec='seconds')}\n".encode(), 0)
        return True

    def holder(self):
        try:
            pid, started = os.pread(self.fd, 200, 0).decode().split()
        except ValueError:
            return "持有者不明"
        return f"进程 {pid}，始于 {started.replace('T', ' ')}"

    def release(self):
        os.ftruncate(self.fd, 0)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.close()

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class _AdvisoryLock:
    def try_acquire(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
            return cursor.fetchone()[0]

    def holder(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.pid, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted",
                [ADVISORY_KEY],
            )
            row = cursor.fetchone()
        return f"数据库会话 {row[0]}，始于 {row[1]:%Y-%m-%d %H:%M:%S}" if row else "持有者不明"

    def release(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])

    def close(self):
        pass
