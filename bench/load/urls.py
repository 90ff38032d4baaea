"""Write the load test's request mix: one path per line, prefixed by its kind.

Reads the archive the server serves (same environment) and picks real
addresses, so every request should answer 200:

    home       /
    calendar   /calendar/ and /calendar/<year>/
    article    an article page (and its issue and page pages)
    person     a person's page
    search     /search/?q=<two to four characters cut from a real headline or a person's name>

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
    rng.shuffle(rows)
    return rows


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
