"""sitemap.xml: the calendar, every issue, page, article and person."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from ..models import Article, Issue, Page, Person


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "calendar", "people"]

    def location(self, item):
        return reverse(item)


class IssueSitemap(Sitemap):
    def items(self):
        return Issue.objects.order_by("date").only("date", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    def items(self):
        return (
            Page.objects.filter(issue__isnull=False).exclude(label="")
            .select_related("issue").only("label", "updated_at", "issue__date").order_by("issue__date", "sort_key")
        )

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(Sitemap):
    """Articles at their permanent links: a dated place may change meaning after a split or merge."""

    def items(self):
        return (
            Article.objects.filter(page__issue__isnull=False).exclude(page__label="")
            .select_related("page__issue")
            .only("position", "updated_at", "page__label", "page__issue__date")
            .order_by("page__issue__date", "page__sort_key", "position")
        )

    def location(self, item):
        return item.get_permanent_url()

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(Sitemap):
    def items(self):
        printed = Q(credits__isnull=False) | Q(page_credits__isnull=False)  # bylines or page staff
        return Person.objects.filter(printed).distinct().order_by("pk").only("id", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "static": StaticSitemap,
    "issues": IssueSitemap,
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "people": PersonSitemap,
}
