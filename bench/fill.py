"""Writing a synthetic archive straight into the (scratch) database.

Much faster than rendering and importing page files, and the import command
is not what the benchmark measures. Rows look like imported ones: an issue
per day, pages with their rendered raw text, articles, people and credits.
"""

import hashlib
from itertools import islice

from django.core.management import call_command
from django.db import transaction

from .corpus import pages, render_page

BATCH = 2000


def _batches(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def fill_database(specs, migrate=True):
    """Create the archive rows for ``specs``; returns the number of articles."""
    from articles.models import Article, Credit, Issue, Page, Person

    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    people = {}
    total = 0
    for chunk in _batches(pages(specs), BATCH // 5):
        with transaction.atomic():
            total += _write_pages(chunk, people, Issue, Page, Article, Person, Credit)
    return total


def _write_pages(chunk, people, Issue, Page, Article, Person, Credit):
    dates = sorted({day for (day, _), _ in chunk})
    existing = {i.date: i for i in Issue.objects.filter(date__in=dates)}
    new_issues = [Issue(date=d, weekday="星期" + "一二三四五六日"[d.weekday()]) for d in dates if d not in existing]
    for issue in Issue.objects.bulk_create(new_issues):
        existing[issue.date] = issue
    page_rows, article_rows, credit_specs = [], [], []
    for (day, label), group in chunk:
        raw = render_page(group)
        page_rows.append(
            Page(
                issue=existing[day], label=label, edition="平湖版",
                source_name=f"synthetic/{day:%Y%m%d}_{label}.txt",
                content_hash=hashlib.sha256(raw.encode()).hexdigest(), raw_text=raw,
                date_source="manifest",
            )
        )
    # Page.save() computes sort_key; bulk_create skips save(), so do it here.
    for page in page_rows:
        page.sort_key = int(page.label)
    page_rows = Page.objects.bulk_create(page_rows)
    for page, (_, group) in zip(page_rows, chunk):
        for spec in group:
            article_rows.append(
                Article(
                    page=page, position=spec.position, kind=spec.kind, column=spec.column,
                    title=spec.title, subtitle=spec.subtitle, dateline="本报讯", body=spec.body,
                    blocks=[{"text": p, "kind": "p"} for p in spec.body.split("\n\n")],
                )
            )
            credit_specs.append(spec.credits)
    names = {name for credits in credit_specs for name, _ in credits} - people.keys()
    if names:
        Person.objects.bulk_create([Person(name=n) for n in sorted(names)], ignore_conflicts=True)
        people.update(Person.objects.filter(name__in=names).values_list("name", "pk"))
    article_rows = Article.objects.bulk_create(article_rows)
    credits = [
        Credit(article=article, person_id=people[name], role=role, order=order)
        for article, specs in zip(article_rows, credit_specs)
        for order, (name, role) in enumerate(specs, start=1)
    ]
    Credit.objects.bulk_create(credits)
    return len(article_rows)
