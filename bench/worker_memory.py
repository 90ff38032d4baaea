"""What a gunicorn worker's own memory is made of: RSS after each part is loaded, in the order a worker loads them.

On a served archive (the PHNEWS_VAR_DIR that bin/run serves), in one fresh
process, as a worker would: Django and the app, the first pages, the script
fold, the word segmenter, the index searcher and its columns, a first search.

    PHNEWS_VAR_DIR=/tmp/load15k .venv/bin/python -m bench.worker_memory

Prints RSS, its anonymous part (the process's own memory) and each step's
growth of it, from /proc/self/status (Linux).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phnews.settings")
# As served: DEBUG off (Django then keeps no query log). This process serves
# nothing, so any secret key will do.
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")


def _memory():
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon"):
                fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["RssAnon"]


def main():
    last = [0.0]

    def step(label):
        rss, anon = _memory()
        print(f"{label:42s} RSS {rss:6.1f} MB  own {anon:6.1f} MB  (+{anon - last[0]:5.1f})", flush=True)
        last[0] = anon

    step("python")
    import django

    django.setup()
    step("django.setup() (Django, the app's modules)")
    from django.test import Client

    from articles.models import Person

    client = Client()
    for path in ("/", "/calendar/", Person.objects.order_by("pk").first().get_absolute_url()):
        client.get(path)
    step("home, calendar and a person page")
    from articles.search import text

    text.fold("營商環境")
    step("script fold (OpenCC)")
    text.words("平湖经济开发区")
    step("word segmenter (rjieba, local names)")
    from articles.search.engines.local import store
    from articles.search.engines.local import columns, evaluate

    searcher = store.searcher()
    step("index searcher")
    for name in sorted(evaluate.COLUMN_FIELDS):
        columns.coded(searcher, name)
    columns.days(searcher)
    columns.live(searcher)
    step("its sortable columns")
    client.get("/search/?q=%E5%B9%B3%E6%B9%96")
    step("a first search (平湖)")


if __name__ == "__main__":
    main()
