"""A newsroom's daily import into a large archive that already has its index, timed as its own process.

    .venv/bin/python -m bench.import_daily --workdir W [--pages 50] [--small-segments 25]

W is a ``bench.run`` work directory (``generate``, then ``build --setup
ours``). Its database and index are imported into, so run this on a copy:
the archive grows by the imported articles. The page files continue the
corpus after its last article (bench.corpus, same seed), so they are the
next days' pages, not re-imports.

``--small-segments K`` first rewrites K x 250 of the archive's articles as K
separate commits, none merged: the segments a month of daily imports leaves
beside a rebuild's. (Whoosh's default merge policy merged a whole 100,000-
article index into the writer once an index had about twenty segments.)

Then, exactly as an operator runs it, in W's database and index:

    /usr/bin/time -v .venv/bin/python manage.py import_pages W/daily-pages -v0

Prints one JSON line: wall and CPU seconds and peak RSS of that process, the
page files, and the index's documents and segments before and after.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from itertools import islice
from pathlib import Path

from .corpus import ARTICLES_PER_PAGE, generate, load_pool, write_page_files
from .run import ROOT, TIME, _time_v, command_env

SEGMENT_ARTICLES = 250


def index_state():
    """(documents, segment sizes) of the work directory's index (Django set up in this process)."""
    from articles.search.engines.local.store import open_or_create

    index = open_or_create()
    # Whoosh has no public list of segments; this is a benchmark's look inside.
    return index.doc_count(), sorted(segment.doc_count_all() for segment in index._segments())


def add_small_segments(count):
    """Rewrite ``count`` runs of SEGMENT_ARTICLES articles, each as its own unmerged commit."""
    from articles.models import Article
    from articles.search.engines.local.build import _delete_documents, article_documents
    from articles.search.engines.local.writer import new_writer
    from articles.search.engines.local.store import open_or_create, writer_lock

    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True)[: count * SEGMENT_ARTICLES])
    with writer_lock():
        for start in range(0, len(pks), SEGMENT_ARTICLES):
            docs = list(article_documents(Article.objects.filter(pk__in=pks[start:start + SEGMENT_ARTICLES])))
            writer = new_writer(open_or_create())
            _delete_documents(writer, [doc["id"] for doc in docs])
            for doc in docs:
                writer.add_document(**doc)
            writer.commit(merge=False)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--small-segments", type=int, default=0)
    args = parser.parse_args(argv)

    workdir = args.workdir.resolve()
    corpus = json.loads((workdir / "corpus.json").read_text())
    os.environ.update(command_env(workdir))
    import django

    django.setup()
    if args.small_segments:
        add_small_segments(args.small_segments)
    docs_before, segments_before = index_state()

    pages_dir = workdir / "daily-pages"
    shutil.rmtree(pages_dir, ignore_errors=True)
    wanted = args.pages * ARTICLES_PER_PAGE
    specs = islice(generate(corpus["articles"] + wanted, seed=corpus["seed"], pool=load_pool()),
                   corpus["articles"], None)
    files = write_page_files(specs, pages_dir)

    command = [sys.executable, "manage.py", "import_pages", str(pages_dir), "-v0"]
    done = subprocess.run([TIME, "-v", *command], cwd=ROOT, env=command_env(workdir), capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"import_pages failed with {done.returncode}")
    wall, cpu, peak = _time_v(done.stderr)
    docs_after, segments_after = index_state()
    print(json.dumps({
        "archive_articles": corpus["articles"],
        "page_files": files,
        "import_seconds": round(wall, 1),
        "import_cpu_seconds": round(cpu, 1),
        "peak_rss_mb": round(peak),
        "index_documents": [docs_before, docs_after],
        "segments_before": segments_before,
        "segments_after": segments_after,
        "load_average_after": round(os.getloadavg()[0], 1),
    }))


if __name__ == "__main__":
    main()
