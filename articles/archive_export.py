"""The whole archive as JSON Lines, format 2: everything a reader or staff member can see.

Format 1 (articles/exporting.py) is one article a line for other tools. Format
2 is the archive itself, so that it can be imported into an empty archive
and exported again byte for byte (articles/importing/from_export.py):

- a "people" line: every person with id, name, kind, note and aliases;
- a "places" line: the gazetteer as staff keep it, every place with id,
  name, kind, parent id, note and aliases (an article's places are found
  again from its text on import);
- one "page" line per page, in issue date and page order: its issue, every
  page field staff see (raw text, masthead, leftover text, orphan bylines,
  date source and the manifest's note, review state), and its articles with
  every field (lead, dateline, byline as printed, blocks, review level and
  reasons, source spans, sidebar parent and continuation by article id,
  credits by person id), each with the count of its change history;
- one "change" line per change-history entry, oldest first.

Ids are kept: links between records (credits, parents, continuations,
history) are by id. docs/importing.md documents every key.
"""

from django.db.models import Count, F, Prefetch

from articles.models import Article, ChangeRecord, Credit, Page, Person, Place

FORMAT = 2

ISSUE_KEYS = ("id", "date", "number", "lunar_date", "weekday", "edited_fields")
PAGE_KEYS = (
    "id", "source", "label", "edition", "section", "editor", "designer", "proofreader", "masthead",
    "content_hash", "raw_text", "leftover_text", "orphan_bylines", "date_source", "import_note",
    "needs_review", "review_reasons", "import_run", "edited_fields", "segmentation_pinned", "history",
)
ARTICLE_KEYS = (
    "id", "position", "kind", "column", "kicker", "title", "subtitle", "lead", "dateline", "byline", "body",
    "blocks", "parent", "continued_to", "continued_from", "continuation", "needs_review", "review_level",
    "review_reasons", "cleared_reasons", "source_spans", "edited_fields", "credits", "history",
)
PERSON_KEYS = ("id", "name", "kind", "note", "aliases", "history")
PLACE_KEYS = ("id", "name", "kind", "parent", "note", "aliases", "history")
CHANGE_KEYS = ("id", "at", "user", "action", "model", "object_id", "object_repr", "changes", "note")


def history_counts():
    """{(model name, object id): entries}, in one query."""
    rows = ChangeRecord.objects.values("content_type__model", "object_id").annotate(n=Count("id"))
    return {(row["content_type__model"], row["object_id"]): row["n"] for row in rows}


def issue_record(issue):
    if issue is None:
        return None
    return {"id": issue.pk, "date": issue.date.isoformat(), "number": issue.number, "lunar_date": issue.lunar_date,
            "weekday": issue.weekday, "edited_fields": list(issue.edited_fields)}


def page_record(page, counts):
    values = {key: getattr(page, key) for key in PAGE_KEYS if key not in ("id", "source", "history")}
    values.update(id=page.pk, source=page.source_name, history=counts.get(("page", str(page.pk)), 0))
    return {key: values[key] for key in PAGE_KEYS}


def article_record(article, counts):
    values = {key: getattr(article, key) for key in ARTICLE_KEYS
              if key not in ("id", "parent", "continuation", "credits", "history")}
    values.update(
        id=article.pk,
        parent=article.parent_id,
        continuation=article.continuation_id,
        credits=[{"person": c.person_id, "role": c.role, "order": c.order} for c in article.credits.all()],
        history=counts.get(("article", str(article.pk)), 0),
    )
    return {key: values[key] for key in ARTICLE_KEYS}


def people_record(counts, people=None):
    """Every person, or those of ``people`` (a queryset): a year's download names only its own."""
    people = (Person.objects if people is None else people).order_by("pk").prefetch_related("aliases")
    return {"format": FORMAT, "kind": "people", "people": [
        {"id": p.pk, "name": p.name, "kind": p.kind, "note": p.note,
         "aliases": sorted(a.name for a in p.aliases.all()), "history": counts.get(("person", str(p.pk)), 0)}
        for p in people
    ]}


def places_record(counts):
    places = Place.objects.order_by("pk").prefetch_related("aliases")
    return {"format": FORMAT, "kind": "places", "places": [
        {"id": p.pk, "name": p.name, "kind": p.kind, "parent": p.parent_id, "note": p.note,
         "aliases": sorted(a.name for a in p.aliases.all()), "history": counts.get(("place", str(p.pk)), 0)}
        for p in places
    ]}


def change_record(change):
    return {
        "format": FORMAT, "kind": "change", "id": change.pk, "at": change.created_at.isoformat(),
        "user": change.user.username if change.user_id else None, "action": change.action,
        "model": f"{change.content_type.app_label}.{change.content_type.model}", "object_id": change.object_id,
        "object_repr": change.object_repr, "changes": change.changes, "note": change.note,
    }


def pages_in_order():
    articles = Article.objects.order_by("position").prefetch_related(
        # The person rides along for the downloads' text files (articles/downloads.py).
        Prefetch("credits", queryset=Credit.objects.select_related("person").order_by("order", "id")))
    return (
        Page.objects.select_related("issue").prefetch_related(Prefetch("articles", queryset=articles))
        # Undated pages last on every database (SQLite and PostgreSQL sort NULL differently).
        .order_by(F("issue__date").asc(nulls_last=True), "sort_key", "label", "source_name")
    )


def iter_records():
    counts = history_counts()
    yield people_record(counts)
    yield places_record(counts)
    for page in pages_in_order().iterator(chunk_size=200):
        yield {
            "format": FORMAT, "kind": "page", "issue": issue_record(page.issue),
            "page": page_record(page, counts),
            "articles": [article_record(article, counts) for article in page.articles.all()],
        }
    for change in ChangeRecord.objects.select_related("user", "content_type").order_by("pk").iterator(chunk_size=500):
        yield change_record(change)
