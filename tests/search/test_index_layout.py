"""Our classes are pickled into an index by a registered code, not by module path, so modules can move."""

import copyreg
import pickle
import sys
import types

import pytest

from articles.search.engines.local import store
from articles.search.engines.local.evaluate import literal_set
from articles.search.engines.local.whoosh import PICKLED
from articles.search.engines.local.whoosh.postings import PackedValues
from articles.search.engines.local.build import write_documents
from articles.search.text import PART_SEPARATOR

TEXTS = ["乍浦港新航线开通", "东湖荷花盛开", "新仓镇召开共富大会"]


def _documents():
    for n, title in enumerate(TEXTS, start=1):
        body = f"{title}。" * 30
        text = PART_SEPARATOR.join([title, body])
        yield {"id": f"articles.article.{n}", "django_ct": "articles.article", "django_id": str(n),
               "text": text, "text_1": text, "headline": title, "headline_1": title, "headline_words": title,
               "kind": "news", "kind_exact": "news", "page": "C1", "order": n, "newest": n, "title": title,
               "body": body}


def test_no_file_of_an_index_names_a_module_of_ours(tmp_path):
    write_documents(_documents(), tmp_path, clear=True)
    for path in tmp_path.iterdir():
        assert b"articles.search" not in path.read_bytes(), path.name
    packed = pickle.dumps(PackedValues.of([b"ab", b"c"]), 4)
    assert b"articles" not in packed and list(pickle.loads(packed)) == [b"ab", b"c"]


@pytest.fixture
def moved():
    """Every registered class re-registered under another module's name, as after moving the modules."""
    moved = types.ModuleType("phnews_moved_classes")
    sys.modules[moved.__name__] = moved
    for code, (module, name) in PICKLED.items():
        setattr(moved, name, getattr(__import__(module, fromlist=[name]), name))
        copyreg.remove_extension(module, name, code)
        copyreg.add_extension(moved.__name__, name, code)
    yield moved
    for code, (module, name) in PICKLED.items():
        copyreg.remove_extension(moved.__name__, name, code)
        copyreg.add_extension(module, name, code)
    del sys.modules[moved.__name__]


def test_an_index_opens_and_answers_after_its_classes_move(tmp_path, moved):
    path = tmp_path / "index"
    # Written while the classes are registered at their (pretend) new home...
    write_documents(_documents(), path, clear=True)
    store.forget_readers()
    # ...and read with the codes pointing at them: the files named no path.
    searcher = store.searcher(path)
    assert searcher.doc_count() == 3
    assert len(literal_set(searcher.reader(), "text", "共富大会")) == 1
    store.forget_readers()
