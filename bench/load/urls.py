"""Write the load test's request mix: one path per line, prefixed by its kind.

Reads the archive the server serves (same environment) and picks real
addresses, so every request should answer 200:

    home       /
    calendar   /calendar/ and /calendar/<year>/
    article    an article page (and its issue and page pages)
    person     a person's page
    search     /search/?q=<two to four characters cut from a real headline or a person's name>
    healthz    /healthz
    heavy      /search/?q=<as long as allowed, cut from article bodies; not in "mix">
    crawl      what a crawler or feed reader asks for: the sitemap index and its pages, the feeds,
               the JSON lists (/api/issues.json, /api/people.json); not in "mix"

Usage: python bench/load/urls.py OUT.tsv [--per-kind N] [--seed S]
"""

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phnews.settings")


def collect(per_kind, rng):
    from urllib.parse import quote

    from django.urls import reverse

    from articles.models import Article, Issue, Person

    articles = list(Article.objects.select_related("page__issue").order_by("pk"))
    people = list(Person.objects.order_by("pk"))
    years = sorted({d.year for d in Issue.objects.values_list("date", flat=True)})
    if not articles or not people:
        raise SystemExit("the archive is empty: import pages first (bin/run does)")

    def sample(items):
        return [rng.choice(items) for _ in range(per_kind)]

    rows = [("home", reverse("home"))] * per_kind
    rows += [("calendar", reverse("calendar"))] * (per_kind // 2)
    rows += [("calendar", reverse("calendar_year", args=[rng.choice(years)])) for _ in range(per_kind - per_kind // 2)]
    rows += [("article", a.get_absolute_url()) for a in sample(articles)]
    rows += [("issue", a.page.issue.get_absolute_url()) for a in sample(articles) if a.page.issue_id]
    rows += [("person", p.get_absolute_url()) for p in sample(people)]
    terms = [name for name in (p.name for p in people) if len(name) >= 2]
    for article in articles:
        text = "".join(ch for ch in article.headline if "\u4e00" <= ch <= "\u9fff")
        if len(text) >= 4:
            start = rng.randrange(len(text) - 3)
            terms.append(text[start:start + rng.choice((2, 3, 4))])
    rows += [("search", f"{reverse('search')}?q={quote(rng.choice(terms))}") for _ in range(per_kind)]
    rows += [("healthz", reverse("healthz"))] * 10
    from articles.browse.sitemaps import PAGE_SIZE
    from articles.models import Page

    crawl = [reverse("sitemap"), reverse("issue_feed"), "/api/issues.json", "/api/people.json"]
    for section, model in (("articles", Article), ("pages", Page), ("people", Person)):
        top = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        crawl += [f"{reverse('sitemap_section', args=[section])}?p={n}" for n in range(1, -(-top // PAGE_SIZE) + 1)]
    crawl += [reverse("person_feed", args=[p.pk]) for p in people[:20]]
    rows += [("crawl", rng.choice(crawl)) for _ in range(per_kind)]
    rows += [("heavy", f"{reverse('search')}?q={quote(q)}") for q in heavy_queries(articles, per_kind, rng)]
    rng.shuffle(rows)
    return rows


def heavy_queries(articles, count, rng):
    """Queries as long as the search allows, of the commonest text there is: runs of article bodies.

    Unquoted, so each is also split into words (fuzzy matching), and some
    with several terms: the most a reader's query can ask of the index.
    """
    from django.conf import settings

    longest = settings.PHNEWS_SEARCH_MAX_QUERY_CHARS
    bodies = [a.body.replace("\n", "") for a in articles if len(a.body) > longest * 2]
    found = []
    for _ in range(count):
        body = rng.choice(bodies)
        start = rng.randrange(len(body) - longest)
        text = body[start:start + longest]
        if rng.random() < 0.5:  # several terms of common text
            cut = sorted(rng.sample(range(1, longest - 1), 3))
            text = " ".join(text[a:b] for a, b in zip([0, *cut], [*cut, longest]))[:longest]
        found.append(text.strip())
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-kind", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()

    import django

    django.setup()
    rows = collect(args.per_kind, random.Random(args.seed))
    args.out.write_text("".join(f"{kind}\t{path}\n" for kind, path in rows), encoding="utf-8")
    print(f"{len(rows)} requests written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
