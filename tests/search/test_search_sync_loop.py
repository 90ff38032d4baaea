"""The queue's one background writer: ``search_sync --loop``, and a drain that no single article can block."""

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Article, Issue, Page
from articles.search import sync
# build imports document_for by name: import it before any test patches documents.
from articles.search.engines.local import build
from articles.search import documents  # noqa: F401
from articles.search.service import SearchRequest, search


def ids(q):
    return {hit.id for hit in search(SearchRequest(q=q), facets=False, window=(0, 500), snippets=False).hits}


@pytest.fixture
def page(db):
    issue = Issue.objects.create(date=date(2024, 3, 5))
    return Page.objects.create(issue=issue, label="C2", source_name="t.txt", content_hash="x", raw_text="")


@pytest.mark.django_db
def test_one_failing_article_does_not_block_the_others(page, monkeypatch, caplog):
    first, broken, last = (Article.objects.create(page=page, position=n, title=f"{word}新闻", body=f"{word}正文")
                           for n, word in enumerate(("乍浦", "独山", "新埭"), start=1))
    real_document_for = documents.document_for
    attempts = []

    def failing_for_one(article):
        if article.pk == broken.pk:
            attempts.append(article.pk)
            raise ValueError("this article cannot be indexed")
        return real_document_for(article)

    monkeypatch.setattr(documents, "document_for", failing_for_one)
    with caplog.at_level(logging.ERROR, logger="articles.search.sync"):
        assert sync.drain() is True
    assert ids("乍浦") == {first.pk} and ids("新埭") == {last.pk} and ids("独山") == set()
    assert list(sync.queue_state())[0] == 1  # its task stays queued, not lost
    assert any(f"article {broken.pk} failed to index" in r.getMessage() for r in caplog.records)

    tried = len(attempts)
    other = Article.objects.create(page=page, position=9, title="当湖新闻", body="当湖正文")
    sync.drain()  # the failing task waits for its retry time; the new one goes through
    assert len(attempts) == tried and ids("当湖") == {other.pk}

    monkeypatch.setattr(documents, "document_for", real_document_for)
    later = time.monotonic() + sync.RETRY_SECONDS + 1
    monkeypatch.setattr(sync.time, "monotonic", lambda: later)
    sync.drain()
    assert ids("独山") == {broken.pk} and sync.pending() == 0


@pytest.mark.django_db
def test_an_unwritable_index_leaves_every_task_queued_and_blames_no_article(page, monkeypatch):
    article = Article.objects.create(page=page, position=1, title="乍浦新闻", body="正文")
    sync.drain()
    Article.objects.filter(pk=article.pk).update(title="独山新闻")
    sync.articles_changed([article.pk])

    real_write = build.write_locked

    def disk_full(documents, *args, **kwargs):
        # As on a full disk: an empty commit still fits, a document does not.
        documents = list(documents)
        if documents:
            raise OSError(28, "No space left on device")
        return real_write(documents, *args, **kwargs)

    monkeypatch.setattr(build, "write_locked", disk_full)
    with pytest.raises(sync.IndexWriteFailed):
        sync.drain()
    assert sync.pending() == 1 and sync._failing == {}
    monkeypatch.undo()
    assert sync.drain() is True and ids("独山") == {article.pk} and sync.pending() == 0


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PHNEWS_", "DATABASE_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "phnews.settings",
        "PHNEWS_VAR_DIR": str(tmp_path / "var"),
        "PHNEWS_DATA_DIR": str(tmp_path / "data"),
        "PHNEWS_INDEX_DIR": str(tmp_path / "var" / "index"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}",
        "PYTHONPATH": str(settings.BASE_DIR),
    })
    return env


SCRIPT = textwrap.dedent("""
    import os, sys, json, datetime, django
    django.setup()
    from articles.models import Article, Issue, Page, IndexTask
    from articles.search.service import SearchRequest, search
    if sys.argv[1] == "setup":
        page = Page.objects.create(issue=Issue.objects.create(date=datetime.date(2024, 1, 5)), label="C1",
                                   source_name="c.txt", content_hash="h", raw_text="")
    elif sys.argv[1] == "edit":
        page = Page.objects.get(label="C1")
        for n in range(int(sys.argv[2])):
            Article.objects.create(page=page, position=n + 1, title=f"平湖新闻{n}", body="正文")
    else:
        print(json.dumps({"pending": IndexTask.objects.count(),
                          "found": search(SearchRequest(q="平湖新闻"), facets=False).count}))
""")


def _django(env, *args):
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], env=env, cwd=settings.BASE_DIR,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_the_loop_applies_edits_made_elsewhere_and_stops_on_sigterm(tmp_path):
    import json

    env = _env(tmp_path)
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    subprocess.run([sys.executable, manage, "migrate", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)
    _django(env, "setup")
    log = open(tmp_path / "loop.log", "w")
    loop = subprocess.Popen([sys.executable, manage, "search_sync", "--loop", "--interval", "0.2"], env=env,
                            cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
    try:
        _django(env, "edit", "30")  # 30 saves, each queueing its task and returning
        assert _wait_for(lambda: json.loads(_django(env, "check")) == {"pending": 0, "found": 30}), \
            (tmp_path / "loop.log").read_text()
        loop.send_signal(signal.SIGTERM)
        assert loop.wait(timeout=30) == 0
    finally:
        loop.kill()
        log.close()
    output = (tmp_path / "loop.log").read_text()
    assert "search_sync: watching the index queue every 0.2 s" in output
    assert "search_sync: queue " in output and output.rstrip().endswith("search_sync: stopped")


def test_the_loop_exits_when_its_parent_is_gone(tmp_path):
    env = _env(tmp_path)
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    subprocess.run([sys.executable, manage, "migrate", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)
    # As bin/run does: the loop gets the pid that then becomes gunicorn's (here: sleep's).
    parent = subprocess.Popen(["sh", "-c", f'"{sys.executable}" "{manage}" search_sync --loop --interval 0.2 '
                                           f'--parent $$ > "{tmp_path}/loop.log" 2>&1 & exec sleep 300'],
                              env=env, cwd=settings.BASE_DIR)
    log = tmp_path / "loop.log"
    assert _wait_for(lambda: log.exists() and "watching" in log.read_text())
    parent.kill()
    parent.wait()
    assert _wait_for(lambda: "stopped" in log.read_text(), seconds=30)
    assert f"process {parent.pid} is gone" in log.read_text()
