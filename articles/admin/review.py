"""The review queue: every page and article the importer flagged, with reasons.

It opens on 须复核 (guesses that could misplace or lose text or credit) and
shows 可复核 (a heading's layering, repairs) on its own tab. Marking an item
reviewed clears its flag; clearing a reason (a rule, such as 两行标题) for a
page or an import clears it on every article there and leaves the others'
reasons standing. Either is recorded as a staff edit of "needs_review", so
re-importing the same page does not raise the flag again; the reasons stay on
the row for reference.
"""

from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import Article, ChangeAction, Credit, DateSource, Issue, Page, ReviewLevel
from articles.parsing.guesses import classify, review_level

from . import history
from .tracking import add_edited

# A large import can flag thousands of articles; the queue is worked a screenful at a time.
PER_PAGE = 100


def flagged_pages():
    return Page.objects.filter(needs_review=True).select_related("issue").order_by("issue__date", "sort_key", "pk")


def issues_without_printed_date():
    """Issues no page of which prints the date in its masthead: the date is someone's inference.

    Listed whether or not a page is still flagged: marking a page reviewed
    does not make its date printed, and readers are told so on every page.
    """
    pages = Page.objects.only("id", "issue_id", "label", "sort_key", "date_source", "import_note").order_by(
        "sort_key", "label")
    return (
        Issue.objects.exclude(pages__date_source=DateSource.MASTHEAD)
        .filter(pages__isnull=False).distinct()
        .prefetch_related(Prefetch("pages", queryset=pages))
        .order_by("date")
    )


def flagged_articles(level=ReviewLevel.MUST, scope=None):
    return (
        Article.objects.filter(review_level=level, **(scope or {}))
        .select_related("page__issue")
        .prefetch_related(Prefetch("credits", queryset=Credit.objects.select_related("person").order_by("order", "id")))
        .defer("body", "blocks", "page__raw_text", "page__leftover_text")
        .order_by("page__issue__date", "page__sort_key", "page_id", "position")
    )


def _level_name(obj):
    if isinstance(obj, Page):
        return "是" if obj.needs_review else "否"
    return ReviewLevel(obj.review_level).label if obj.review_level else "否"


@transaction.atomic
def mark_reviewed(user, objects):
    """Clear the flag (either level) on each object; returns how many were flagged."""
    done = 0
    for obj in objects:
        if not (obj.needs_review or getattr(obj, "review_level", "")):
            continue
        old = _level_name(obj)
        obj.needs_review = False
        fields = ["needs_review", "edited_fields", "updated_at"]
        if isinstance(obj, Article):
            obj.review_level = ""
            obj.cleared_reasons = sorted({classify(r)[0] for r in obj.review_reasons} | set(obj.cleared_reasons))
            fields += ["review_level", "cleared_reasons"]
        add_edited(obj, ["needs_review"])
        obj.save(update_fields=fields)
        history.record(
            user, obj, ChangeAction.REVIEW,
            [{"field": "needs_review", "label": "待复核", "old": old, "new": "否"}],
            note="；".join(obj.review_reasons or []),
        )
        done += 1
    return done


@transaction.atomic
def clear_reason(user, key, articles):
    """Mark one reason (a rule's key) checked on the given articles; returns how many had it."""
    done = 0
    # Only the articles are locked: the rows joined for display may be missing (an outer join).
    for article in articles.select_for_update(of=("self",)):
        if key in article.cleared_reasons or key not in {classify(r)[0] for r in article.review_reasons}:
            continue
        old = _level_name(article)
        article.cleared_reasons = sorted([*article.cleared_reasons, key])
        article.review_level = review_level(article.review_reasons, article.cleared_reasons)
        article.needs_review = article.review_level == ReviewLevel.MUST
        add_edited(article, ["needs_review"])
        article.save(update_fields=["needs_review", "review_level", "cleared_reasons", "edited_fields", "updated_at"])
        history.record(
            user, article, ChangeAction.REVIEW,
            [{"field": "needs_review", "label": "待复核", "old": old, "new": _level_name(article)}],
            note=f"已核对：{key}",
        )
        done += 1
    return done


def reason_counts(level, scope):
    """[(import run, key, articles)] of the open reasons at this level, most frequent first.

    One query over the reasons alone: the queue stays cheap however long it is.
    """
    rows = Article.objects.filter(review_level=level, **scope).values_list(
        "page__import_run", "review_reasons", "cleared_reasons")
    counts = Counter()
    for run, reasons, cleared in rows:
        counts.update({(run, key) for key, lv in map(classify, reasons) if lv == level and key not in cleared})
    return [(run, key, n) for (run, key), n in sorted(counts.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))]


def _scope(request):
    """The articles the queue is narrowed to: one page, one import, or all."""
    page = request.GET.get("page", "")
    if page.isdigit():
        return {"page_id": int(page)}, {"page": page}
    run = request.GET.get("run", "")
    if run:
        return {"page__import_run": run}, {"run": run}
    return {}, {}


def review_queue_view(model_admin, request):
    """GET: the queue. POST: mark the ticked items reviewed, or clear a reason (needs change permission)."""
    can_page = request.user.has_perm("articles.change_page")
    can_article = request.user.has_perm("articles.change_article")
    level = ReviewLevel.MAY if request.GET.get("level") == ReviewLevel.MAY else ReviewLevel.MUST
    scope, scope_params = _scope(request)
    if request.method == "POST":
        if request.POST.get("clear_reason"):
            _post_clear_reason(request, can_article)
        else:
            _post_mark_reviewed(request, can_page, can_article)
        return HttpResponseRedirect(request.get_full_path())
    keep = urlencode({**scope_params, **({"level": level} if level == ReviewLevel.MAY else {})})
    pages = Paginator(flagged_pages().filter(**_page_scope(scope)) if level == ReviewLevel.MUST else Page.objects.none(),
                      PER_PAGE).get_page(request.GET.get("pp"))
    articles = Paginator(flagged_articles(level, scope), PER_PAGE).get_page(request.GET.get("p"))
    issues = Paginator(issues_without_printed_date(), PER_PAGE).get_page(request.GET.get("ip"))
    for article in articles.object_list:
        # Each reason with its level; those staff already checked are shown as such.
        article.reason_rows = [
            (reason, ReviewLevel(lv).label, key in article.cleared_reasons)
            for reason, (key, lv) in ((r, classify(r)) for r in article.review_reasons)
        ]
    counts = {
        "must": flagged_pages().filter(**_page_scope(scope)).count() + Article.objects.filter(
            review_level=ReviewLevel.MUST, **scope).count(),
        "may": Article.objects.filter(review_level=ReviewLevel.MAY, **scope).count(),
    }
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "复核队列",
        "opts": Article._meta,
        "level": level,
        "level_name": ReviewLevel(level).label,
        "counts": counts,
        "scope_params": scope_params,
        "scope_query": urlencode(scope_params),
        "keep": keep + "&" if keep else "",
        "scope_page": Page.objects.select_related("issue").filter(pk=scope["page_id"]).first()
        if "page_id" in scope else None,
        "reasons": reason_counts(level, scope),
        "pages": pages.object_list,
        "articles": articles.object_list,
        "page_pager": pages,
        "article_pager": articles,
        "issues": issues.object_list,
        "issue_pager": issues,
        "can_page": can_page,
        "can_article": can_article,
        "article_changelist": reverse("admin:articles_article_changelist"),
    }
    return TemplateResponse(request, "admin/articles/review_queue.html", context)


def _page_scope(scope):
    return {"pk": scope["page_id"]} if "page_id" in scope else (
        {"import_run": scope["page__import_run"]} if "page__import_run" in scope else {})


def _post_mark_reviewed(request, can_page, can_article):
    page_ids = [int(v) for v in request.POST.getlist("page") if v.isdigit()] if can_page else []
    article_ids = [int(v) for v in request.POST.getlist("article") if v.isdigit()] if can_article else []
    if not (can_page or can_article):
        messages.error(request, "你只有查看权限，不能标记复核。")
    elif not (page_ids or article_ids):
        messages.warning(request, "没有勾选任何条目。")
    else:
        count = mark_reviewed(request.user, Page.objects.filter(pk__in=page_ids, needs_review=True))
        count += mark_reviewed(request.user, Article.objects.filter(pk__in=article_ids).exclude(review_level=""))
        messages.success(request, f"已将 {count} 项标记为已复核。")


def _post_clear_reason(request, can_article):
    """Clear one reason for one page or one import: never for the whole archive at once."""
    key = request.POST.get("clear_reason", "")
    page, run = request.POST.get("page_scope", ""), request.POST.get("run_scope", "")
    if not can_article:
        messages.error(request, "你只有查看权限，不能标记复核。")
        return
    if page.isdigit():
        articles, where = Article.objects.filter(page_id=int(page)), "本版"
    elif run:
        articles, where = Article.objects.filter(page__import_run=run), f"导入批次 {run[:19]} 中"
    else:
        messages.warning(request, "请选定一个版面或一次导入再批量核对。")
        return
    count = clear_reason(request.user, key, articles.exclude(review_level=""))
    messages.success(request, f"{where}所有“{key}”均已核对：{count} 篇文章。")
