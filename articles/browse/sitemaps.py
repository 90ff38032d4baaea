"""sitemap.xml: the calendar, every issue, page, article and person.

Each section is paged by id (``/sitemap-articles.xml?p=2`` holds the ids
501 to 1000) at PAGE_SIZE addresses at most, far below the protocol's
50,000, so one request costs the same however big the archive grows: a page
is an index range, where Django's paginator counted the section and skipped
its way to the page with OFFSET (a scan of everything before it). A page may
hold fewer addresses where ids were deleted or are left out (undated pages).
The views serve each page from the reader cache until the archive changes
(urls.py).
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.functional import cached_property

from ..models import Article, Issue, Page, Person

# Building and rendering an address costs about 0.2 ms, so a page costs
# about 0.1 s however big the archive is (docs/reading.md, "What grows").
PAGE_SIZE = 500


class IdPages:
    """The paginator the sitemap views ask for: page n holds the ids ((n - 1) * size, n * size]."""

    def __init__(self, items, size):
        self.items, self.size = items, size

    @cached_property
    def num_pages(self):
        # The table's highest id (the end of its primary key), not the section's: no scan.
        top = self.items.model.objects.aggregate(top=Max("pk"))["top"] or 0
        return max(1, -(-top // self.size))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("页码应为整数") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("没有这一页")
        low = (number - 1) * self.size
        return _Page(self.items.filter(pk__gt=low, pk__lte=low + self.size).order_by("pk"))


class _Page:
    def __init__(self, object_list):
        self.object_list = object_list


class PagedSitemap(Sitemap):
    limit = PAGE_SIZE

    @property
    def paginator(self):
        return IdPages(self.items(), self.limit)

    def get_latest_lastmod(self):
        # The index leaves out lastmod (optional there; each page has its
        # own): Django's default loads every row of the section to find it.
        return None


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "calendar", "people"]

    def location(self, item):
        return reverse(item)


class IssueSitemap(PagedSitemap):
    def items(self):
        return Issue.objects.only("date", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(PagedSitemap):
    def items(self):
        return (
            Page.objects.filter(issue__isnull=False).exclude(label="")
            .select_related("issue").only("label", "updated_at", "issue__date")
        )

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(PagedSitemap):
    """Articles at their permanent links: a dated place may change meaning after a split or merge."""

    def items(self):
        return (
            Article.objects.filter(page__issue__isnull=False).exclude(page__label="")
            .select_related("page__issue")
            .only("position", "updated_at", "page__label", "page__issue__date")
        )

    def location(self, item):
        return item.get_permanent_url()

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(PagedSitemap):
    def items(self):
        printed = Q(credits__isnull=False) | Q(page_credits__isnull=False)  # bylines or page staff
        return Person.objects.filter(printed).distinct().only("id", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "static": StaticSitemap,
    "issues": IssueSitemap,
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "people": PersonSitemap,
}
