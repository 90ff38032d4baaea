"""The index follows the database: ORM edits, deletes, related rows, and concurrent writers."""

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Article, Credit, Issue, IndexTask, Page, Person
from articles.search import sync
from articles.search.service import SearchRequest, search


def ids(q, **options):
    return {hit.id for hit in search(SearchRequest(q=q, **options), facets=False, window=(0, 500), snippets=False).hits}


@pytest.fixture
def page(db):
    issue = Issue.objects.create(date=date(2024, 3, 5))
    return Page.objects.create(issue=issue, label="C2", source_name="t.txt", content_hash="x", raw_text="")


@pytest.mark.django_db
def test_save_delete_and_related_edits_reach_the_index(page, django_capture_on_commit_callbacks):
    # An edit commits its task and does no index work; sync.drain() is what the sync loop runs.
    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.create(page=page, position=1, title="乍浦港口新航线", body="集装箱吞吐量创新高")
        person = Person.objects.create(name="林旭东")
        Credit.objects.create(article=article, person=person, role="reporter")
    assert sync.pending() > 0 and ids("吞吐量") == set()
    sync.drain()
    assert ids("吞吐量") == {article.pk}
    assert ids("林旭东", field="person", match="exact") == {article.pk}

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "独山港开通新航线"
        article.save()
    sync.drain()
    assert ids("独山港", field="headline") == {article.pk}
    assert ids("乍浦") == set()

    with django_capture_on_commit_callbacks(execute=True):
        person.name = "林旭"
        person.save()
    sync.drain()
    assert ids("林旭", field="person", match="exact") == {article.pk}
    assert ids("林旭东") == set()

    with django_capture_on_commit_callbacks(execute=True):
        page.label = "C3"
        page.save()
    sync.drain()
    assert ids("航线", page_label="C3") == {article.pk}

    with django_capture_on_commit_callbacks(execute=True):
        Credit.objects.filter(article=article).delete()
    sync.drain()
    assert ids("林旭") == set()

    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    sync.drain()
    assert ids("航线") == set()
    assert IndexTask.objects.count() == 0


@pytest.mark.django_db
def test_a_busy_writer_leaves_the_task_queued_for_the_holder(page, index_dir):
    from articles.search.engines.local.store import writer_lock

    with sync.deferred():
        article = Article.objects.create(page=page, position=1, title="平湖西瓜灯", body="灯会")
    with writer_lock(index_dir):
        # Another process holds the writer lock: the edit neither waits nor fails.
        assert sync.drain() is False
        assert sync.pending() == 1
    assert sync.drain() is True
    assert ids("西瓜灯") == {article.pk}


WORKER = textwrap.dedent("""
    import os, sys, random
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "phnews.settings"
    django.setup()
    from articles.models import Article, Page
    worker, count = int(sys.argv[1]), int(sys.argv[2])
    page = Page.objects.get(label="C1")
    rng = random.Random(worker)
    mine = []
    for i in range(count):
        a = Article.objects.create(page=page, position=worker * 1000 + i + 1,
                                   title=f"工人{worker}号第{i}篇", body=f"正文甲{worker}乙{i}丙")
        mine.append(a)
        if i % 3 == 1:
            a.title = f"改过{worker}号第{i}篇"
            a.save()
        if i % 5 == 4:
            rng.choice(mine[:-1]).delete() if len(mine) > 1 else None
            mine = [m for m in mine if Article.objects.filter(pk=m.pk).exists()]
""")


def _env(tmp_path):
    env = dict(os.environ)
    env.update({
        "PHNEWS_VAR_DIR": str(tmp_path / "var"),
        "PHNEWS_DATA_DIR": str(tmp_path / "data"),
        "PHNEWS_INDEX_DIR": str(tmp_path / "var" / "index"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}",
        "PYTHONPATH": str(settings.BASE_DIR),
    })
    return env


# update_index in one writer process, and in two (as a big update is written).
@pytest.mark.parametrize("update_options", [[], ["--workers", "2"]])
def test_concurrent_writers_in_several_processes_lose_no_update(tmp_path, update_options):
    env = _env(tmp_path)
    python = sys.executable
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    subprocess.run([python, manage, "migrate", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)
    setup = ("import django,os;os.environ['DJANGO_SETTINGS_MODULE']='phnews.settings';django.setup();"
             "from articles.models import *;import datetime;"
             "i=Issue.objects.create(date=datetime.date(2024,1,5));"
             "Page.objects.create(issue=i,label='C1',source_name='c.txt',content_hash='h',raw_text='')")
    subprocess.run([python, "-c", setup], env=env, check=True, cwd=settings.BASE_DIR)
    workers = [subprocess.Popen([python, "-c", WORKER, str(n), "12"], env=env, cwd=settings.BASE_DIR,
                                stderr=subprocess.PIPE, text=True) for n in range(4)]
    # A haystack user's update_index runs at the same time as the edits.
    updater = subprocess.Popen([python, manage, "update_index", "-v0", *update_options], env=env,
                               cwd=settings.BASE_DIR, stderr=subprocess.PIPE, text=True)
    for proc in [*workers, updater]:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "LockError" not in err and "Traceback" not in err, err

    check = textwrap.dedent("""
        import os, json, django
        os.environ["DJANGO_SETTINGS_MODULE"] = "phnews.settings"
        django.setup()
        from articles.models import Article, IndexTask
        from articles.search.engines.local.store import searcher
        s = searcher()
        indexed = {int(f["django_id"]): f["title"] for f in s.all_stored_fields()}
        stored = dict(Article.objects.values_list("pk", "title"))
        print(json.dumps({"pending": IndexTask.objects.count(), "indexed": len(indexed),
                          "stored": len(stored), "equal": indexed == stored}))
    """)
    out = subprocess.run([python, "-c", check], env=env, check=True, cwd=settings.BASE_DIR,
                         capture_output=True, text=True).stdout
    import json

    report = json.loads(out.strip().splitlines()[-1])
    assert report["stored"] > 30
    assert report == {"pending": 0, "indexed": report["stored"], "stored": report["stored"], "equal": True}


@pytest.mark.django_db
def test_an_import_queues_each_article_once(imported_samples):
    # The model signal queues a saved article, and the import then reports
    # its bulk writes for the same articles in the same transaction: one task
    # each, not two (the queue is not drained here: no commit in this test).
    tasks = list(IndexTask.objects.values_list("article_id", flat=True))
    assert sorted(tasks) == sorted(Article.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_change_queued_again_after_a_drain_in_the_same_transaction_is_not_lost(page):
    article = Article.objects.create(page=page, position=1, title="乍浦港口新航线", body="集装箱")
    sync.articles_changed([article.pk])  # already queued by the signal: no second task
    assert IndexTask.objects.filter(article_id=article.pk).count() == 1
    sync.drain()
    article.title = "独山港开通新航线"
    article.save()
    assert IndexTask.objects.filter(article_id=article.pk).count() == 1
