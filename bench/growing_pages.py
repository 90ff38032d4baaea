"""What the public pages whose size grows with the archive cost, cold and cached.

    .venv/bin/python -m bench.growing_pages [--articles 5000] [--repeat 3]

Fills a scratch database with a synthetic archive (bench/fill.py: 5 articles
a page, 8 pages an issue, a day an issue) and fetches each page with Django's
test client in this process: "cold" is the median of --repeat requests with
the reader cache emptied before each (what the first request after an import
or an edit costs), "cached" one request once it is cached, both with the
number of database queries and the response size. Run it at two sizes to see
what grows. Nothing outside a temporary folder is touched.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="phnews-growing-"))
    os.environ["PHNEWS_VAR_DIR"] = str(workdir)
    os.environ["PHNEWS_DATA_DIR"] = str(workdir / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ["PHNEWS_PAGE_CACHE_SECONDS"] = "60"  # as served; DEBUG would turn the cache off
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.browse.sitemaps import PAGE_SIZE
    from articles.models import Issue, Person

    from .corpus import generate
    from .fill import fill_database

    started = time.monotonic()
    total = fill_database(generate(args.articles))
    print(f"archive: {total} articles, {Issue.objects.count()} issues, {Person.objects.count()} people "
          f"(filled in {time.monotonic() - started:.0f} s)")

    busiest = Person.objects.annotate(n=Count("credits")).order_by("-n").first()
    last_year = Issue.objects.order_by("-date").first().date.year
    pages_of_articles = -(-total // PAGE_SIZE)
    urls = [
        "/", "/calendar/", f"/calendar/{last_year}/", "/people/", "/api/people.json",
        "/api/issues.json", f"/api/issues.json?year={last_year}", "/feed/issues.atom",
        f"/person/{busiest.pk}/", f"/api/person/{busiest.pk}.json", f"/person/{busiest.pk}/feed.atom",
        "/sitemap.xml", "/sitemap-issues.xml", "/sitemap-pages.xml", "/sitemap-people.xml",
        "/sitemap-articles.xml", f"/sitemap-articles.xml?p={pages_of_articles}",
    ]
    client = Client()
    cache = caches["default"]
    print(f"{'url':40} {'cold ms':>8} {'queries':>7} {'cached ms':>9} {'queries':>7} {'KiB':>6}")
    for url in urls:
        cold = []
        for _ in range(args.repeat):
            cache.clear()
            with CaptureQueriesContext(connection) as cold_queries:
                start = time.perf_counter()
                response = client.get(url)
                cold.append(time.perf_counter() - start)
            if response.status_code != 200:
                sys.exit(f"{url}: HTTP {response.status_code}")
        with CaptureQueriesContext(connection) as warm_queries:
            start = time.perf_counter()
            client.get(url)
            warm = time.perf_counter() - start
        print(f"{url:40} {statistics.median(cold) * 1000:8.1f} {len(cold_queries):7d} "
              f"{warm * 1000:9.1f} {len(warm_queries):7d} {len(response.content) / 1024:6.0f}")


if __name__ == "__main__":
    main()
