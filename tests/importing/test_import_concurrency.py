"""Two imports at once: the second waits for the first, and no file is lost."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from articles.importing.lock import ImportBusy, import_lock
from import_helpers import SAMPLE_004, batch, hold_the_lock, sample_text

PROJECT = Path(__file__).resolve().parents[2]
FILES = 30

COUNTS = """
import json
from articles.models import IndexTask, Page
print(json.dumps({"pages": Page.objects.count(), "names": sorted(Page.objects.values_list("source_name", flat=True)),
                  "queued": IndexTask.objects.count()}))
"""


def many_pages(folder, count=FILES):
    """Distinct made-up pages, each on its own day, so none clashes with another."""
    text = sample_text(SAMPLE_004)
    files = {f"p{n:03}.txt": text + f"\n## 第{n}号简讯\n\n本报讯 本市第{n}场社区活动昨日举行，居民踊跃参加。\n"
             for n in range(count)}
    manifest = {name: (f"2021-{1 + n // 28:02}-{1 + n % 28:02}", "11") for n, name in enumerate(sorted(files))}
    return batch(folder, files, manifest)


def environment(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "PHNEWS_", "DATABASE_"))}
    env.update(PHNEWS_VAR_DIR=str(tmp_path / "var"), PHNEWS_DATA_DIR=str(tmp_path / "data"),
               DJANGO_SETTINGS_MODULE="phnews.settings")
    return env


def manage(env, *args, **popen):
    return subprocess.Popen([sys.executable, "manage.py", *map(str, args)], cwd=PROJECT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def test_two_imports_over_one_folder_lose_no_file(tmp_path):
    """Real processes on a real SQLite file: what two operators (or two cron jobs) do."""
    env = environment(tmp_path)
    folder = many_pages(tmp_path / "batch")
    migrate = manage(env, "migrate", "-v0")
    assert migrate.wait(120) == 0, migrate.stderr.read()

    runs = [manage(env, "import_pages", folder, "-v0"), manage(env, "import_pages", folder, "-v0")]
    outputs = [run.communicate(timeout=300) for run in runs]
    codes = [run.returncode for run in runs]
    assert codes == [0, 0], outputs
    # The second run waited for the first and said so; neither hit a lock or unique error.
    errors = "".join(err for _, err in outputs)
    assert "另一个导入正在进行" in errors
    assert "locked" not in errors and "UNIQUE" not in errors and "拒收" not in errors

    count = manage(env, "shell", "-c", COUNTS)
    out, err = count.communicate(timeout=120)
    state = json.loads(out.strip().splitlines()[-1])
    assert state["names"] == sorted(p.name for p in folder.glob("*.txt"))
    assert state["pages"] == FILES


def test_a_second_import_gives_up_clearly_after_the_wait(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_the_lock, args=(held, release))
    holder.start()
    assert held.wait(10)
    told = []
    try:
        with pytest.raises(ImportBusy) as busy:
            with import_lock(wait=1, on_wait=told.append):
                pytest.fail("the lock was taken twice")
    finally:
        release.set()
        holder.join(10)
    holder_named = f"进程 {os.getpid()}" if connection.vendor == "sqlite" else "数据库会话"
    assert holder_named in str(busy.value) and "PHNEWS_IMPORT_LOCK_WAIT" in str(busy.value)
    assert len(told) == 1 and "最多等待 1 秒" in told[0]
    with import_lock(wait=0):
        pass  # released by the first holder: free again


def test_busy_import_command_exits_non_zero_and_touches_nothing(import_pages, tmp_path, settings):
    from articles.models import Page

    folder = many_pages(tmp_path / "batch", count=2)
    settings.PHNEWS_IMPORT_LOCK_WAIT = 0
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_the_lock, args=(held, release))
    holder.start()
    assert held.wait(10)
    try:
        code, out, err = import_pages(folder)
    finally:
        release.set()
        holder.join(10)
    assert code == 2 and "另一个导入仍在进行" in err
    assert Page.objects.count() == 0


WRITER = """
import sys, time
from django.db import transaction
from articles.models import IndexTask
with transaction.atomic():
    if sys.argv[1] == "first":
        IndexTask.objects.create(article_id=1)
        time.sleep(2)
    else:
        IndexTask.objects.count()  # a read, then a write, in one transaction
        IndexTask.objects.create(article_id=2)
print("ok")
"""


def test_a_read_then_write_transaction_waits_for_another_writer_on_sqlite(tmp_path):
    """Deferred transactions fail with "database is locked" when a read must become a write."""
    env = environment(tmp_path)
    migrate = manage(env, "migrate", "-v0")
    assert migrate.wait(120) == 0, migrate.stderr.read()
    script = "import django; django.setup()\n" + WRITER
    first = subprocess.Popen([sys.executable, "-c", script, "first"], cwd=PROJECT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1)  # the first holds its write transaction now
    second = subprocess.run([sys.executable, "-c", script, "second"], cwd=PROJECT, env=env,
                            capture_output=True, text=True, timeout=60)
    _, first_err = first.communicate(timeout=60)
    assert first.returncode == 0, first_err[-500:]
    assert second.returncode == 0, second.stderr[-500:]
