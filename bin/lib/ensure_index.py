"""Bring the search index in step with the database, doing as little as possible.

bin/run calls this after importing. A missing index, one whose document
count differs from the article count (a restored database, a deleted
directory), or one written with other fields or another text analysis than
this version's (an upgrade that changed the index) is rebuilt from the
database; otherwise only queued updates are applied, which is instant when
there are none.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phnews.settings")


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from articles.models import Article
    from articles.search import sync
    from articles.search.text import ANALYSIS_VERSION
    from articles.search.engines.local.schema import build_schema
    from articles.search.engines.local.store import analysis_of

    path = settings.HAYSTACK_CONNECTIONS["default"].get("PATH")
    if not path:
        # A clustered engine is managed on its own (docs/scaling.md).
        print("search: external engine, not touched", file=sys.stderr)
        return
    articles = Article.objects.count()
    documents, fields = whoosh_documents(path)
    wanted = set(build_schema().names())
    analysis = analysis_of(path) if documents is not None else ANALYSIS_VERSION
    if documents is None or documents != articles or fields != wanted or analysis != ANALYSIS_VERSION:
        if documents is not None and fields != wanted:
            print(f"search: index fields differ from this version's ({', '.join(sorted(fields ^ wanted))}), "
                  "rebuilding", file=sys.stderr)
        elif analysis != ANALYSIS_VERSION:
            print(f"search: index text analysis differs from this version's ({analysis or 'unrecorded'} -> "
                  f"{ANALYSIS_VERSION}), rebuilding", file=sys.stderr)
        else:
            print(f"search: index has {documents} documents for {articles} articles, rebuilding", file=sys.stderr)
        call_command("rebuild_index", interactive=False, verbosity=0)
        sync.drain()
        return
    sync.drain()
    print(f"search: index up to date ({documents} documents)", file=sys.stderr)


def whoosh_documents(path):
    """(document count, field names) of the index at ``path``; (None, None) if there is none."""
    from whoosh import index as whoosh_index

    from articles.search.engines.local.store import INDEX_NAME

    if not whoosh_index.exists_in(path, indexname=INDEX_NAME):
        return None, None
    index = whoosh_index.open_dir(path, indexname=INDEX_NAME)
    try:
        return index.doc_count(), set(index.schema.names())
    finally:
        index.close()


if __name__ == "__main__":
    main()
