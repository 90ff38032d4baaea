"""Bring the search index in step with the database, doing as little as possible.

bin/run calls this after importing. A missing index, one whose document
count differs from the article count (a restored database, a deleted
directory), or one written with other fields, another text analysis or
another file layout than this version's (an upgrade that changed the index)
is rebuilt from the database; otherwise only queued updates are applied,
which is instant when there are none. What the index holds is asked of the
configured backend (``state()``); an engine that answers None (a cluster)
is managed on its own.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phnews.settings")


def main():
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article
    from articles.search import sync

    backend = sync.backend()
    state = backend.state()
    if state is None:
        # A clustered engine is managed on its own (docs/scaling.md).
        print("search: external engine, not touched", file=sys.stderr)
        return
    articles = Article.objects.count()
    if state.documents is None and state.written_with is not None:
        reason = (f"index text analysis or file layout differs from this version's "
                  f"({state.written_with or 'unrecorded'} -> {state.wanted}), rebuilding")
    elif state.documents is None:
        reason = "no index yet, building it"
    elif state.changed_fields:
        reason = f"index fields differ from this version's ({', '.join(sorted(state.changed_fields))}), rebuilding"
    elif state.documents != articles:
        reason = f"index has {state.documents} documents for {articles} articles, rebuilding"
    else:
        sync.drain()
        print(f"search: index up to date ({state.documents} documents)", file=sys.stderr)
        return
    print(f"search: {reason}", file=sys.stderr)
    call_command("rebuild_index", interactive=False, verbosity=0)
    sync.drain()


if __name__ == "__main__":
    main()
