"""Fixing a page's segmentation: split an article, merge two, move paragraphs across.

A wrong parse puts an article boundary in the wrong place. Staff fix it with
three operations on one page, each in one transaction:

- split: the article ends before paragraph N; paragraphs N… become a new
  article right after it (the later articles move down one place);
- merge: the next article on the page is appended to this one and deleted
  (the later articles move up one place, so positions stay 1…n);
- move: paragraphs at the edge of an article go to the previous or next one,
  keeping the page's reading order.

Every operation writes ChangeRecords holding the old values (a merged-away
article's whole content included), marks the changed fields as staff edits,
pins the page's segmentation so re-import keeps it (importing/pinning.py),
and queues every article whose text or URL changed for the search index in
the same transaction.
"""

import hashlib

from django.db import transaction
from django.db.models import F

from articles import addresses
from articles.credits import credit_line
from articles.importing.mapping import UNTITLED
from articles.models import Article, ChangeAction, Credit, Page, ReviewLevel
from articles.search import sync

from . import history
from .blocks import blocks_from_body
from .tracking import add_edited

# Positions are moved out of the way of the (page, position) constraint
# through this offset; a page never holds this many articles.
SHIFT = 10000


class SegmentationError(Exception):
    """A fix that cannot be applied; the message is for staff."""


def paragraphs(article):
    """The body's paragraphs as blocks ({text, kind}), kinds kept from the parse."""
    return blocks_from_body(article.body, article.blocks)


def neighbours(article):
    """(previous, next) article on the same page by position, or None."""
    siblings = Article.objects.filter(page_id=article.page_id)
    previous = siblings.filter(position__lt=article.position).order_by("-position").first()
    following = siblings.filter(position__gt=article.position).order_by("position").first()
    return previous, following


def fingerprint(page_id):
    """A digest of the page's articles (order and text).

    The confirmation page carries it; a fix is refused if the page changed
    since staff looked at it, so they never confirm something they did not see.
    """
    digest = hashlib.sha256()
    for pk, position, title, body in (Article.objects.filter(page_id=page_id).order_by("position")
                                      .values_list("pk", "position", "title", "body")):
        digest.update(f"{pk}\x00{position}\x00{title}\x00{body}\x01".encode("utf-8"))
    return digest.hexdigest()[:32]


def join(blocks):
    return "\n\n".join(block["text"] for block in blocks)


def _locked(article_id, expected):
    """The article re-read under a lock on its page, checked against what staff saw."""
    article = Article.objects.filter(pk=article_id).select_related("page").first()
    if article is None:
        raise SegmentationError("这篇文章已不存在（可能已被合并或删除）。")
    # No ordering: Page's default one joins issues, which FOR UPDATE refuses on PostgreSQL.
    list(Page.objects.select_for_update().filter(pk=article.page_id).order_by().values_list("pk", flat=True))
    article = Article.objects.select_related("page").get(pk=article_id)
    if expected is not None and expected != fingerprint(article.page_id):
        raise SegmentationError("确认之后本版文章已有改动，请重新查看后再操作。")
    return article


def _set_body(article, blocks, spans=()):
    article.body = join(blocks)
    article.blocks = [dict(block) for block in blocks]
    # Paragraphs moved between articles: the parse's line spans no longer
    # describe it, and the raw-text pane finds it by its text instead.
    article.source_spans = [list(span) for span in spans]
    add_edited(article, ["body"])


def _shift(page_id, after, delta):
    """Move every article after `after` by delta places; returns their ids."""
    rows = Article.objects.filter(page_id=page_id, position__gt=after)
    ids = list(rows.values_list("pk", flat=True))
    if ids:
        # Two steps, so no intermediate row collides with a neighbour.
        Article.objects.filter(pk__in=ids).update(position=F("position") + SHIFT)
        Article.objects.filter(pk__in=ids).update(position=F("position") - SHIFT + delta)
        # update() bypasses the signals; their URLs changed.
        sync.articles_changed(ids)
    return ids


def _pin(user, page, note):
    """Pin the page's segmentation; staff changed which articles it holds."""
    page = Page.objects.get(pk=page.pk)
    was_pinned = page.segmentation_pinned
    add_edited(page, ["articles"])
    Page.objects.filter(pk=page.pk).update(segmentation_pinned=True, edited_fields=page.edited_fields)
    changes = [] if was_pinned else [
        {"field": "segmentation_pinned", "label": "分段已人工固定", "old": "否", "new": "是"}]
    history.record(user, page, ChangeAction.CHANGE, changes, note=note)


# A continuation note belongs to a paragraph: 下转 (continued_to, with the
# link to the continuation) to the article's last one, 上接 (continued_from,
# with the links of the articles continued here) to its first.
END_NOTES = ("continued_to", "continuation_id")


def _hand_over_end(source, target):
    """The source's last paragraph went to target: its 下转 note and link go with it."""
    if not source.continued_to and not source.continuation_id:
        return
    for name in END_NOTES:
        value = getattr(source, name)
        if value and not getattr(target, name) and value != target.pk:
            setattr(target, name, value)
        setattr(source, name, "" if name == "continued_to" else None)
    add_edited(source, ["continued_to", "continuation"])
    add_edited(target, ["continued_to", "continuation"])


def _hand_over_start(source, target):
    """The source's first paragraph went to target: its 上接 note, and the links to it, go with it."""
    if source.continued_from and not target.continued_from:
        target.continued_from = source.continued_from
        add_edited(target, ["continued_from"])
    if source.continued_from:
        source.continued_from = ""
        add_edited(source, ["continued_from"])
    Article.objects.filter(continuation=source).exclude(pk=target.pk).update(continuation=target)


def _credits_text(article):
    return credit_line(Credit.objects.filter(article=article).select_related("person").order_by("order", "id"))


def _renumber_credits(article):
    for order, credit in enumerate(Credit.objects.filter(article=article).order_by("order", "id"), start=1):
        if credit.order != order:
            Credit.objects.filter(pk=credit.pk).update(order=order)


# What a segmentation fix changes on an article, as its history shows it.
TRACKED = ["body", "continued_from", "continued_to", "continuation"]


def _before(article):
    return history.snapshot(article, TRACKED)


def _changes(before, article):
    return history.diff(Article, before, history.snapshot(article, TRACKED))


@transaction.atomic
def split(user, article_id, index, title, kind=None, heading=False, credit_ids=(), expected=None):
    """End the article before paragraph `index` (0-based); the rest becomes a new article.

    heading: paragraph `index` is the new article's headline, not body text.
    credit_ids: the article's credits that belong to the new article (moved).
    Returns the new article.
    """
    article = _locked(article_id, expected)
    blocks = paragraphs(article)
    if not 1 <= index < len(blocks):
        raise SegmentationError("只能在第 2 段至最后一段之间拆分：拆分后两篇都要有正文。")
    title = (title or "").strip()
    if not title:
        raise SegmentationError("请填写新文章的标题。")
    if len(title) > Article._meta.get_field("title").max_length:
        raise SegmentationError("新文章的标题太长（最多 200 字）。")
    kept, moved = blocks[:index], blocks[index:]
    if heading:
        moved = moved[1:]
    before = _before(article)
    credits_before = _credits_text(article)

    addresses.remember(article.page_id)
    _shift(article.page_id, article.position, +1)
    created = Article(
        page_id=article.page_id, position=article.position + 1, kind=kind or article.kind,
        title=title, body=join(moved), blocks=[dict(block) for block in moved],
        # Everything on it was decided by staff: re-import must keep it whole.
        edited_fields=sorted({"body", "kind", "page", "position", "title", "credits"}),
    )
    _hand_over_end(article, created)
    created.save()
    moving = list(Credit.objects.filter(article=article, pk__in=list(credit_ids)))
    for credit in moving:
        credit.article = created
        credit.save(update_fields=["article"])
    _renumber_credits(created)
    _renumber_credits(article)

    _set_body(article, kept)
    if moving:
        add_edited(article, ["credits"])
    article.save()

    where = f"第 {index + 1} 段"
    changes = _changes(before, article)
    credits_after = _credits_text(article)
    if credits_after != credits_before:
        changes.append({"field": "credits", "label": "署名", "old": credits_before, "new": credits_after})
    history.record(user, article, ChangeAction.SPLIT, changes,
                   note=f"自{where}起拆出新文章《{created.title}》（本版第 {created.position} 篇）"
                        + ("，该段作为新文章标题" if heading else ""))
    history.record(user, created, ChangeAction.ADD, _changes({}, created),
                   note=f"由《{article.title}》自{where}起拆出；署名：{_credits_text(created) or '无'}")
    _pin(user, article.page, f"拆分《{article.title}》，新增第 {created.position} 篇《{created.title}》")
    return created


def merge_text(article, following, keep_heading=True):
    """The merged body's blocks: this article, then the next one's headline, lead and body."""
    blocks = list(paragraphs(article))
    head = following.headline
    if keep_heading and head and head != UNTITLED:
        blocks.append({"text": head, "kind": "subhead"})
    tail = paragraphs(following)
    if following.lead.strip():
        tail = [{"text": following.lead.strip(), "kind": "p"}] + tail
    if following.dateline and tail:
        tail[0] = dict(tail[0], text=f"{following.dateline} {tail[0]['text']}")
    return blocks + tail


MERGED_FIELDS = ["kind", "column", "kicker", "title", "subtitle", "lead", "dateline", "body",
                 "continued_from", "continued_to", "review_reasons"]


@transaction.atomic
def merge(user, article_id, keep_heading=True, expected=None):
    """Append the next article on the page to this one; the next one is deleted.

    Credits are the union (this article's first, in order); sidebars and
    continuations that pointed at the deleted article point at this one.
    Returns the merged article.
    """
    article = _locked(article_id, expected)
    following = neighbours(article)[1]
    if following is None:
        raise SegmentationError("这是本版最后一篇，没有可合并的下一篇。")
    before = _before(article)
    credits_before = _credits_text(article)
    gone = {name: history.shown(following, name) for name in MERGED_FIELDS}
    gone["credits"] = _credits_text(following)
    addresses.remember(article.page_id)

    blocks = merge_text(article, following, keep_heading)
    taken = set(Credit.objects.filter(article=article).values_list("person_id", "role"))
    _renumber_credits(article)
    next_order = Credit.objects.filter(article=article).count() + 1
    for credit in Credit.objects.filter(article=following).order_by("order", "id"):
        if (credit.person_id, credit.role) in taken:
            continue  # same person in the same role: one credit
        credit.article, credit.order = article, next_order
        credit.save(update_fields=["article", "order"])
        taken.add((credit.person_id, credit.role))
        next_order += 1

    Article.objects.filter(parent=following).exclude(pk=article.pk).update(parent=article)
    Article.objects.filter(continuation=following).exclude(pk=article.pk).update(continuation=article)
    if article.parent_id == following.pk:
        article.parent = None
    # The merged article ends with the next one's last paragraph: its 下转 note wins.
    if following.continued_to or following.continuation_id not in (None, article.pk):
        article.continued_to = following.continued_to or article.continued_to
        if following.continuation_id not in (None, article.pk):
            article.continuation_id = following.continuation_id
        add_edited(article, ["continued_to", "continuation"])
    if not article.continued_from and following.continued_from:
        article.continued_from = following.continued_from
        add_edited(article, ["continued_from"])
    article.review_reasons = list(dict.fromkeys([*article.review_reasons, *following.review_reasons]))
    levels = {article.review_level, following.review_level}
    article.review_level = next((lv for lv in (ReviewLevel.MUST, ReviewLevel.MAY) if lv in levels), "")
    article.needs_review = article.review_level == ReviewLevel.MUST
    _set_body(article, blocks, spans=sorted(article.source_spans + following.source_spans))
    if _credits_text(article) != credits_before:
        add_edited(article, ["credits"])
    article.save()

    changes = _changes(before, article)
    credits_after = _credits_text(article)
    if credits_after != credits_before:
        changes.append({"field": "credits", "label": "署名", "old": credits_before, "new": credits_after})
    old_position = following.position
    history.record(user, article, ChangeAction.MERGE, changes,
                   note=f"并入下一篇《{following.headline}》（原第 {old_position} 篇）")
    # The merged-away article's whole content stays readable in its history.
    history.record(user, following, ChangeAction.MERGE,
                   [{"field": name, "label": "署名" if name == "credits" else history.label(Article, name),
                     "old": value, "new": ""} for name, value in gone.items() if value],
                   note=f"并入上一篇《{article.title}》（第 {article.position} 篇）")
    addresses.merged(following.pk, article)
    following.delete()
    _shift(article.page_id, old_position, -1)
    _pin(user, article.page, f"《{article.title}》与下一篇《{gone['title']}》合并")
    return article


@transaction.atomic
def move(user, article_id, direction, index, expected=None):
    """Move paragraphs at the article's edge to its neighbour, keeping reading order.

    direction "previous": paragraphs 0…index go to the end of the previous
    article; "next": paragraphs index… go to the start of the next one.
    Returns the neighbour that received them.
    """
    article = _locked(article_id, expected)
    previous, following = neighbours(article)
    target = previous if direction == "previous" else following if direction == "next" else None
    if target is None:
        raise SegmentationError("本版没有上一篇。" if direction == "previous" else "本版没有下一篇。")
    blocks = paragraphs(article)
    if not 0 <= index < len(blocks):
        raise SegmentationError("没有这一段。")
    if direction == "previous":
        moved, kept = blocks[:index + 1], blocks[index + 1:]
        received = paragraphs(target) + moved
    else:
        kept, moved = blocks[:index], blocks[index:]
        received = moved + paragraphs(target)
    if not kept:
        raise SegmentationError("不能移走全部段落：整篇并入邻篇请用“与下一篇合并”。")
    befores = {a.pk: _before(a) for a in (article, target)}
    _set_body(article, kept)
    _set_body(target, received)
    if direction == "next":
        _hand_over_end(article, target)
    else:
        _hand_over_start(article, target)
    article.save()
    target.save()
    count = len(moved)
    where = "上一篇" if direction == "previous" else "下一篇"
    history.record(user, article, ChangeAction.MOVE, _changes(befores[article.pk], article),
                   note=f"{count} 段移到{where}《{target.title}》")
    history.record(user, target, ChangeAction.MOVE, _changes(befores[target.pk], target),
                   note=f"从《{article.title}》移入 {count} 段")
    _pin(user, article.page, f"《{article.title}》的 {count} 段移到{where}《{target.title}》")
    return target
