"""Memory to build the index documents of one big page: with and without the page text per article.

    .venv/bin/python -m bench.index_memory [--articles 175] [--chars 1000] [--workdir /tmp/phindexmem]

Writes one synthetic page just inside the default import limits (bench.corpus:
175 articles of about 1,000 characters, some 190,000 characters), imports it
into a scratch archive under WORKDIR, then builds every article's search
document twice, measuring Python's peak allocation (tracemalloc): once as
the index used to load articles (each row with its page, raw text included)
and once through articles_for_index (page text deferred). Prints one JSON line.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .corpus import generate, load_pool, render_page

ROOT = Path(__file__).resolve().parent.parent

MEASURE = """
import json, tracemalloc
from articles.models import Article, Page
from articles.search.documents import articles_for_index, document_for, index_prefetches

def peak(queryset):
    tracemalloc.start()
    count = len([document_for(article) for article in queryset])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, peak

page = Page.objects.get()
count, with_text = peak(Article.objects.select_related("page__issue").prefetch_related(*index_prefetches()))
_, deferred = peak(articles_for_index())
print(json.dumps({"page_chars": len(page.raw_text), "articles": count,
                  "peak_mib_page_text_per_article": round(with_text / 2**20, 1),
                  "peak_mib_deferred": round(deferred / 2**20, 1)}))
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=175)
    parser.add_argument("--chars", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/phindexmem"))
    args = parser.parse_args(argv)

    workdir = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    page = workdir / "big.txt"
    page.write_text(render_page(generate(args.articles, seed=7, pool=load_pool(), chars=args.chars)), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "PHNEWS_INDEX_DIR")}
    env.update(PHNEWS_VAR_DIR=str(workdir / "var"), PHNEWS_DATA_DIR=str(workdir / "data"),
               DJANGO_SETTINGS_MODULE="phnews.settings")

    def manage(*command):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            sys.stderr.write(done.stdout[-2000:] + done.stderr[-2000:])
            raise SystemExit(f"manage.py {command[0]} failed with {done.returncode}")
        return done.stdout

    manage("migrate", "-v0")
    manage("import_pages", str(page), "--date", "2020-01-01", "--page", "1", "--no-copy", "-v0")
    print(manage("shell", "-c", MEASURE).strip().splitlines()[-1])


if __name__ == "__main__":
    main()
