"""haystack's Whoosh backend, extended for Chinese and for several processes.

Subclasses haystack's own backend and overrides only what must differ:

- ``build_schema`` returns the phnews schema (bigrams, unigrams, jieba words,
  stored result fields) instead of haystack's English StemmingAnalyzer one;
- ``update``/``remove``/``clear`` take the single-writer lock of
  ``articles.search.store`` and write with a plain writer, never failing
  silently (a swallowed LockError would leave a stale document behind).

``manage.py rebuild_index`` and ``update_index`` therefore work as usual.
"""

import shutil

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier

from . import store
from .schema import build_schema


class ChineseWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Errors must surface: the sync queue retries what failed.
        self.silently_fail = False

    def setup(self):
        # Creating the index is a write: serialise it with every other writer.
        with store.writer_lock(self.path):
            super().setup()

    def build_schema(self, fields):
        return "text", build_schema()

    def _document(self, index, obj):
        from .documents import document_for

        if hasattr(index, "document_for"):
            return index.document_for(obj)
        doc = index.full_prepare(obj)
        return {key: self._from_python(value) for key, value in doc.items() if key != "boost"}

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        docs = []
        for obj in iterable:
            try:
                docs.append(self._document(index, obj))
            except SkipDocument:
                self.log.debug("Indexing for object `%s` skipped", obj)
        if not docs:
            return
        with store.writer_lock(self.path):
            self.index = self.index.refresh()
            writer = self.index.writer(limitmb=128)
            try:
                for doc in docs:
                    writer.update_document(**doc)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def remove(self, obj_or_string, commit=True):
        if not self.setup_complete:
            self.setup()
        with store.writer_lock(self.path):
            self.index = self.index.refresh()
            writer = self.index.writer()
            writer.delete_by_term("id", get_identifier(obj_or_string))
            writer.commit()

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        with store.writer_lock(self.path):
            if models is None:
                # Wipe and recreate under the lock; readers notice the new generation.
                shutil.rmtree(self.path, ignore_errors=True)
                self.index = store.create_empty(self.path)
                return
            from haystack.utils import get_model_ct

            self.index = self.index.refresh()
            writer = self.index.writer()
            for model in models:
                writer.delete_by_term("django_ct", get_model_ct(model))
            writer.commit()

    def delete_index(self):
        self.clear()


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshSearchBackend
    query = WhooshSearchQuery
