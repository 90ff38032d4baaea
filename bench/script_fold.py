"""What folding Traditional to Simplified costs a build, per 1,000 articles.

    python -m bench.script_fold [--articles 4000] [--repeat 3]

Synthetic articles (bench/corpus.py) are written into a scratch Whoosh index
through the project's writer, once with the fold as it was before the script
fold (width, case, whitespace: a plain ``str.translate`` table) and once with
today's fold, in the same process, alternating, best of ``--repeat``. The
fold alone (every string the index folds for a document) is timed the same
way. CPU seconds of this process; one writer process. Nothing outside a
temporary folder is touched.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path


def _documents(specs):
    from articles.search.text import PART_SEPARATOR

    docs = []
    for n, spec in enumerate(specs, 1):
        names = PART_SEPARATOR.join(name for name, _ in spec.credits)
        headline = PART_SEPARATOR.join(p for p in (spec.title, spec.subtitle) if p)
        everything = PART_SEPARATOR.join(p for p in (headline, spec.column, spec.body, names) if p)
        docs.append({
            "id": f"articles.article.{n}", "django_ct": "articles.article", "django_id": str(n),
            "text": everything, "text_1": everything, "headline": headline, "headline_1": headline,
            "people_text": names, "people_text_1": names, "column_text": spec.column, "column_text_1": spec.column,
            "headline_words": headline, "people": ",".join(name for name, _ in spec.credits),
            "column": spec.column, "kind": spec.kind, "page": spec.page_label,
            "order": spec.issue_date.toordinal() * 10**7 + n, "title": spec.title, "body": spec.body,
        })
    return docs


def _folded_strings(docs):
    keys = ("text", "text_1", "headline", "headline_1", "people_text", "people_text_1", "column_text",
            "column_text_1", "headline_words", "people", "column")
    return [doc[key] for doc in docs for key in keys if doc.get(key)]


def _cpu(func):
    start = time.process_time()
    func()
    return time.process_time() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phnews.settings")
    import django

    django.setup()
    from articles.search import text
    from articles.search.engines.local.build import write_documents
    from articles.search.engines.local.store import forget_readers

    from .corpus import generate

    docs = _documents(generate(args.articles, seed=7))
    strings = _folded_strings(docs)
    chars = sum(map(len, strings))
    script_fold = text.FOLD
    before = dict(text.BASE_FOLD)  # the fold as it was: no script table
    cold = _cpu(lambda: [text.fold(s) for s in strings])
    results = {"before": {"fold": [], "build": []}, "script fold": {"fold": [], "build": []}}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.repeat):
            for name, table in (("before", before), ("script fold", script_fold)):
                text.FOLD = table
                try:
                    results[name]["fold"].append(_cpu(lambda: [text.fold(s) for s in strings]))
                    path = Path(tmp) / f"{name.replace(' ', '_')}_{run}"
                    results[name]["build"].append(_cpu(lambda: write_documents(docs, path, clear=True)))
                finally:
                    text.FOLD = script_fold
                    forget_readers()
    per = 1000 / args.articles
    print(f"{args.articles} articles, {chars / 1e6:.1f} M characters folded per pass; CPU s per 1,000 articles,"
          f" best of {args.repeat}:")
    for name, timings in results.items():
        print(f"  {name:12} fold {min(timings['fold']) * per:6.3f}   whole build {min(timings['build']) * per:6.3f}")
    print(f"  first pass of the script fold (learning {len(text.FOLD) - len(text.BASE_FOLD)} characters"
          f" through OpenCC): fold {cold * per:6.3f}")


if __name__ == "__main__":
    main()
