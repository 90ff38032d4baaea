"""How fast the admin pages staff use are on a large archive.

    .venv/bin/python -m bench.run generate --articles 20000 --workdir /tmp/phadmin20k
    .venv/bin/python -m bench.admin_pages --workdir /tmp/phadmin20k [--repeat 5]

Works on the generated scratch archive only (bench.settings moves the
database there). Logs in a scratch superuser with Django's test client and
times each page in-process (no network, no gunicorn): median and worst
milliseconds and the number of SQL queries. Search-index writes are switched
off; edits are not timed here.
"""

import argparse
import os
import statistics
import time
from pathlib import Path


def _setup(workdir):
    os.environ["PHNEWS_VAR_DIR"] = str(workdir)
    os.environ["PHNEWS_INDEX_DIR"] = str(Path(workdir) / "ours_index")
    os.environ.pop("DATABASE_URL", None)  # never the real archive
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def _pages():
    from django.urls import reverse

    from articles.models import Article, Page, Person

    article = Article.objects.order_by("pk")[Article.objects.count() // 2]
    person = Person.objects.order_by("pk").first()
    page = Page.objects.order_by("pk").first()
    articles = reverse("admin:articles_article_changelist")
    word = article.title[:2]
    return [
        ("article list", articles, {}),
        ("article list, needs review", articles, {"needs_review__exact": "1"}),
        ("article list, no credits", articles, {"credited": "no"}),
        ("article list, one person", articles, {"person": person.pk}),
        (f"article search “{word}” (headline, body, names)", articles, {"q": word}),
        ("article change form", reverse("admin:articles_article_change", args=[article.pk]), {}),
        ("page list", reverse("admin:articles_page_changelist"), {}),
        ("page change form", reverse("admin:articles_page_change", args=[page.pk]), {}),
        ("person list", reverse("admin:articles_person_changelist"), {}),
        ("person autocomplete", reverse("admin:autocomplete"),
         {"app_label": "articles", "model_name": "credit", "field_name": "person", "term": person.name[:1]}),
        ("review queue", reverse("admin:articles_review_queue"), {}),
        ("history list", reverse("admin:articles_changerecord_changelist"), {}),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _setup(args.workdir)

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from articles.search import sync

    sync.drain_quietly = lambda: None
    user, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(user)
    print(f"archive: {Article.objects.count()} articles, {Article.objects.filter(needs_review=True).count()} flagged")
    print("| page | median ms | worst ms | queries |")
    print("|---|---:|---:|---:|")
    for name, url, params in _pages():
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, params)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
        print(f"| {name} | {statistics.median(times):.0f} | {max(times):.0f} | {len(queries)} |")


if __name__ == "__main__":
    main()
