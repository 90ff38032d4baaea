"""The review queue: every page and article the importer flagged, with reasons.

Marking an item reviewed clears its flag and records "needs_review" as a staff
edit, so re-importing the same page does not raise the flag again; the
reasons stay on the row for reference.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import Article, ChangeAction, Credit, DateSource, Issue, Page

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
    pages = Page.objects.only("id", "issue_id", "label", "sort_key", "date_source").order_by(
        "sort_key", "label")
    return (
        Issue.objects.exclude(pages__date_source=DateSource.MASTHEAD)
        .filter(pages__isnull=False).distinct()
        .prefetch_related(Prefetch("pages", queryset=pages))
        .order_by("date")
    )


def flagged_articles():
    return (
        Article.objects.filter(needs_review=True)
        .select_related("page__issue")
        .prefetch_related(Prefetch("credits", queryset=Credit.objects.select_related("person").order_by("order", "id")))
        .defer("body", "blocks", "page__raw_text", "page__leftover_text")
        .order_by("page__issue__date", "page__sort_key", "page_id", "position")
    )


@transaction.atomic
def mark_reviewed(user, objects):
    """Clear the flag on each object; returns how many were flagged."""
    done = 0
    for obj in objects:
        if not obj.needs_review:
            continue
        obj.needs_review = False
        add_edited(obj, ["needs_review"])
        obj.save(update_fields=["needs_review", "edited_fields", "updated_at"])
        history.record(
            user, obj, ChangeAction.REVIEW,
            [{"field": "needs_review", "label": "待复核", "old": "是", "new": "否"}],
            note="；".join(obj.review_reasons or []),
        )
        done += 1
    return done


def review_queue_view(model_admin, request):
    """GET: the queue. POST: mark the ticked items reviewed (needs change permission)."""
    can_page = request.user.has_perm("articles.change_page")
    can_article = request.user.has_perm("articles.change_article")
    if request.method == "POST":
        page_ids = [int(v) for v in request.POST.getlist("page") if v.isdigit()] if can_page else []
        article_ids = [int(v) for v in request.POST.getlist("article") if v.isdigit()] if can_article else []
        if not (can_page or can_article):
            messages.error(request, "你只有查看权限，不能标记复核。")
        elif not (page_ids or article_ids):
            messages.warning(request, "没有勾选任何条目。")
        else:
            count = mark_reviewed(request.user, Page.objects.filter(pk__in=page_ids, needs_review=True))
            count += mark_reviewed(request.user, Article.objects.filter(pk__in=article_ids, needs_review=True))
            messages.success(request, f"已将 {count} 项标记为已复核。")
        return HttpResponseRedirect(request.get_full_path())
    pages = Paginator(flagged_pages(), PER_PAGE).get_page(request.GET.get("pp"))
    articles = Paginator(flagged_articles(), PER_PAGE).get_page(request.GET.get("p"))
    issues = Paginator(issues_without_printed_date(), PER_PAGE).get_page(request.GET.get("ip"))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "复核队列",
        "opts": Article._meta,
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
