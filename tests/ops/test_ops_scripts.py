"""The set-up scripts: the index is rebuilt only when needed; no tests is a failure."""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ensure_index():
    spec = importlib.util.spec_from_file_location("ensure_index", PROJECT / "bin" / "lib" / "ensure_index.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_index_is_rebuilt_only_when_it_does_not_match(ensure_index, index_dir, imported_samples, capsys):
    from articles.models import Article

    articles = Article.objects.count()
    ensure_index()
    assert "no index yet, building it" in capsys.readouterr().err

    ensure_index()
    assert f"index up to date ({articles} documents)" in capsys.readouterr().err
    stamp = max(path.stat().st_mtime_ns for path in index_dir.iterdir())

    # A database restored from an older backup: counts differ, rebuild.
    Article.objects.order_by("pk").last().delete()
    ensure_index()
    err = capsys.readouterr().err
    # The delete's queued update may already have been applied; either way
    # the index ends up matching the database.
    assert "rebuilding" in err or f"up to date ({articles - 1} documents)" in err
    ensure_index()
    assert f"index up to date ({articles - 1} documents)" in capsys.readouterr().err

    shutil.rmtree(index_dir)
    ensure_index()
    assert "no index yet, building it" in capsys.readouterr().err
    assert max(path.stat().st_mtime_ns for path in index_dir.iterdir()) > stamp


def test_an_index_from_an_older_schema_is_rebuilt(ensure_index, index_dir, imported_samples, capsys):
    from whoosh import fields
    from whoosh.filedb.filestore import FileStorage

    from articles.models import Article
    from articles.search.engines.local.schema import build_schema
    from articles.search.engines.local.store import INDEX_NAME, forget_readers, stamp_analysis

    ensure_index()
    capsys.readouterr()
    # The same documents, as an earlier version wrote them: one field fewer.
    old = build_schema()
    old.remove("kind_exact")
    shutil.rmtree(index_dir)
    index_dir.mkdir()
    writer = FileStorage(str(index_dir)).create_index(old, indexname=INDEX_NAME).writer()
    for pk in Article.objects.values_list("pk", flat=True):
        writer.add_document(id=f"articles.article.{pk}", django_id=str(pk), text="x")
    writer.commit()
    stamp_analysis(index_dir)  # this version's analysis and layout, older fields
    forget_readers()
    ensure_index()
    assert "index fields differ from this version's (kind_exact), rebuilding" in capsys.readouterr().err
    ensure_index()
    assert "index up to date" in capsys.readouterr().err
    assert isinstance(FileStorage(str(index_dir)).open_index(INDEX_NAME).schema["kind_exact"], fields.ID)


def test_an_index_from_an_older_text_analysis_is_rebuilt(ensure_index, index_dir, imported_samples, capsys):
    from articles.search.engines.local.store import ANALYSIS_FILE, WRITTEN_WITH, forget_readers

    ensure_index()
    capsys.readouterr()
    record = index_dir / ANALYSIS_FILE
    assert record.read_text().strip() == WRITTEN_WITH
    # Same fields, other analysis (an index written before the script fold): rebuild.
    record.write_text("fold 1\n")
    forget_readers()
    ensure_index()
    assert f"index text analysis or file layout differs from this version's (fold 1 -> {WRITTEN_WITH}), rebuilding" \
        in capsys.readouterr().err
    assert record.read_text().strip() == WRITTEN_WITH
    ensure_index()
    assert "index up to date" in capsys.readouterr().err
    # An index older than the record has none: rebuild too.
    record.unlink()
    ensure_index()
    assert "(unrecorded -> " in capsys.readouterr().err


def test_an_index_written_before_the_engines_moved_is_rebuilt(ensure_index, index_dir, imported_samples, capsys):
    # Written by the release before articles/search/engines/ (its pickles name
    # articles.search.index.* and whoosh_blocks): it cannot even be opened now.
    from articles.models import Article
    from articles.search import sync
    from articles.search.engines.local.store import WRITTEN_WITH, forget_readers
    from articles.search.service import SearchRequest, search

    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.copytree(PROJECT / "tests" / "search" / "data" / "index-written-before-the-move", index_dir)
    assert b"articles.search.index." in (index_dir / "_MAIN_1.toc").read_bytes()
    forget_readers()
    ensure_index()
    assert (f"index text analysis or file layout differs from this version's "
            f"(fold 3, OpenCC 1.4.2 hk2s per character -> {WRITTEN_WITH}), rebuilding") in capsys.readouterr().err
    assert sync.backend().state().documents == Article.objects.count()
    assert search(SearchRequest(q="营商环境"), facets=False).count > 0


def test_bin_test_fails_when_no_test_is_collected(ops_env):
    done = subprocess.run(
        ["bin/test", "tests/ops/test_ops_settings.py", "-k", "no_test_has_this_name"],
        cwd=PROJECT, env=ops_env(), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 5
    assert "pytest collected no tests" in done.stderr
