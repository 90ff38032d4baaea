"""Loading an export in format 2 (articles/archive_export.py) into an empty archive.

Everything goes in one transaction with the ids it had, so links (credits,
sidebars, continuations, history) hold and exporting again gives the same
bytes. A line that is not valid format 2 stops the load with the file, line
and problem, and leaves the archive as it was. Users named in the history
that this archive lacks are created inactive, without a password, so the
history keeps who made each change.
"""

import datetime
import json

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

from articles.archive_export import ARTICLE_KEYS, CHANGE_KEYS, FORMAT, ISSUE_KEYS, PAGE_KEYS, PERSON_KEYS, PLACE_KEYS
from articles.models import Article, ChangeRecord, Credit, Issue, Page, Person, PersonAlias, Place, PlaceAlias
from articles.places.mentions import refresh as refresh_places

from . import search_hook

MODELS = (Issue, Page, Article, Person, PersonAlias, Credit, ChangeRecord, Place, PlaceAlias)


class ExportError(Exception):
    """str(error) names the file, the line and the problem."""


def _require(record, keys, what, where):
    missing = [key for key in keys if key not in record]
    if missing:
        raise ExportError(f"{where}：{what}缺少 {', '.join(missing)}")


def load(path):
    """Load the export at path; returns (pages, articles, people, changes)."""
    lines = _read(path)
    if any(model.objects.exists() for model in (Issue, Page, Article, Person, ChangeRecord)):
        raise ExportError(f"{path}：档案不是空的；导出文件只能导入空档案（新数据库）")
    counts = [0, 0, 0, 0]
    with transaction.atomic():
        links = []
        for where, record in lines:
            kind = record["kind"]
            if kind == "people":
                counts[2] += _people(record, where)
            elif kind == "places":
                _places(record, where)
            elif kind == "page":
                links += _page(record, where)
                counts[0] += 1
                counts[1] += len(record["articles"])
            elif kind == "change":
                _change(record, where)
                counts[3] += 1
        for pk, parent, continuation in links:
            Article.objects.filter(pk=pk).update(parent_id=parent, continuation_id=continuation)
        # Found again from the text now that every credit is in (a credited name is no place).
        refresh_places(Article.objects.only("id", "kicker", "title", "subtitle", "lead", "body"))
        # Rows came with their ids: the databases' id sequences must move past them.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), MODELS):
                cursor.execute(statement)
        search_hook.notify(list(Article.objects.values_list("pk", flat=True)), [])
    return tuple(counts)


def _read(path):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ExportError(f"{path}：无法读取：{error}") from None
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ExportError(f"{where}：不是 JSON：{error}") from None
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            raise ExportError(f"{where}：不是第 {FORMAT} 版导出格式（缺少 \"format\": {FORMAT}）")
        if record.get("kind") not in ("people", "places", "page", "change"):
            raise ExportError(f"{where}：未知的记录类型 {record.get('kind')!r}")
        lines.append((where, record))
    if not lines:
        raise ExportError(f"{path}：文件是空的")
    return lines


def _people(record, where):
    for item in record["people"]:
        _require(item, PERSON_KEYS, "人物", where)
        person = Person.objects.create(id=item["id"], name=item["name"], kind=item["kind"], note=item["note"])
        for alias in item["aliases"]:
            PersonAlias.objects.create(name=alias, person=person)
    return len(record["people"])


def _places(record, where):
    """The exported gazetteer replaces the one loaded into this empty archive (by load_gazetteer)."""
    Place.objects.update(parent=None)
    Place.objects.all().delete()
    parents = []
    for item in record["places"]:
        _require(item, PLACE_KEYS, "地点", where)
        place = Place.objects.create(id=item["id"], name=item["name"], kind=item["kind"], note=item["note"])
        for alias in item["aliases"]:
            PlaceAlias.objects.create(name=alias, place=place)
        parents.append((place.pk, item["parent"]))
    for pk, parent in parents:
        if parent is not None:
            Place.objects.filter(pk=pk).update(parent_id=parent)


def _page(record, where):
    """Create the page, its issue (once) and its articles; returns the links to set afterwards."""
    _require(record, ("issue", "page", "articles"), "版面记录", where)
    issue = None
    if record["issue"] is not None:
        data = record["issue"]
        _require(data, ISSUE_KEYS, "期", where)
        issue = Issue.objects.filter(pk=data["id"]).first() or Issue.objects.create(
            id=data["id"], date=datetime.date.fromisoformat(data["date"]), number=data["number"],
            lunar_date=data["lunar_date"], weekday=data["weekday"], edited_fields=data["edited_fields"])
    data = record["page"]
    _require(data, PAGE_KEYS, "版面", where)
    fields = {key: data[key] for key in PAGE_KEYS if key not in ("id", "source", "history")}
    page = Page.objects.create(id=data["id"], issue=issue, source_name=data["source"], **fields)
    links = []
    for item in record["articles"]:
        _require(item, ARTICLE_KEYS, "文章", where)
        fields = {key: item[key] for key in ARTICLE_KEYS
                  if key not in ("id", "parent", "continuation", "credits", "history")}
        article = Article.objects.create(id=item["id"], page=page, **fields)
        Credit.objects.bulk_create(
            Credit(article=article, person_id=c["person"], role=c["role"], order=c["order"]) for c in item["credits"])
        if item["parent"] or item["continuation"]:
            links.append((article.pk, item["parent"], item["continuation"]))
    return links


def _change(record, where):
    _require(record, CHANGE_KEYS, "修改记录", where)
    app_label, model = record["model"].split(".", 1)
    user = None
    if record["user"]:
        user = User.objects.filter(username=record["user"]).first()
        if user is None:
            user = User(username=record["user"], is_active=False)
            user.set_unusable_password()
            user.save()
    change = ChangeRecord.objects.create(
        id=record["id"], user=user, action=record["action"],
        content_type=ContentType.objects.get_by_natural_key(app_label, model),
        object_id=record["object_id"], object_repr=record["object_repr"], changes=record["changes"],
        note=record["note"],
    )
    # created_at is set on insert; the history keeps when the change was made.
    ChangeRecord.objects.filter(pk=change.pk).update(created_at=datetime.datetime.fromisoformat(record["at"]))
