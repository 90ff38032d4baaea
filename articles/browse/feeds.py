"""Atom feeds: new issues, and each person's newest articles."""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ..models import Article, Credit, Issue, Person
from . import dates
from .presenters import EDITION, PAPER

FEED_LENGTH = 30


class IssueFeed(Feed):
    feed_type = Atom1Feed
    title = f"{PAPER}·{EDITION} 新一期"
    subtitle = "每期报纸的版面与标题"

    def link(self):
        return reverse("home")

    def items(self):
        headlines = Article.objects.filter(parent__isnull=True).only("id", "page_id", "title").order_by("position")
        return Issue.objects.order_by("-date").prefetch_related(
            Prefetch("pages__articles", queryset=headlines)
        )[:FEED_LENGTH]

    def item_title(self, item):
        return f"{dates.date_cn(item.date)} {item.weekday or dates.weekday_cn(item.date)}"

    def item_description(self, item):
        lines = []
        for page in sorted(item.pages.all(), key=lambda p: (p.sort_key, p.label)):
            titles = "；".join(a.title for a in page.articles.all())
            lines.append(f"第{page.label}版 {page.section}：{titles}".strip())
        return "\n".join(lines)

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at


class PersonFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pk):
        return get_object_or_404(Person, pk=pk)

    def title(self, obj):
        return f"{obj.name}的文章 · {PAPER}·{EDITION}"

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return [
            credit.article
            for credit in Credit.objects.filter(person=obj)
            .select_related("article__page__issue")
            .defer("article__page__raw_text", "article__page__leftover_text")
            .order_by("-article__page__issue__date", "-article__id")[:FEED_LENGTH]
        ]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        where = dates.date_cn(item.page.issue.date) if item.page.issue_id else "日期不详"
        return f"{where} 第{item.page.label}版　{item.body[:160]}"

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at
