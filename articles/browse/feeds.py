"""Atom feeds: new issues, and the newest articles of each person and each place.

Everything a feed shows is plain text from imported pages or staff edits, and
may hold markup (a page can say ``<img src=x onerror=...>``). Feed readers
render summaries, and many render titles, as HTML whatever the feed says, so
every text field is HTML-escaped and declared ``type="html"``: a compliant
reader and a careless one both show the markup as text.
"""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils import timezone
from django.utils.html import escape

from ..models import Article, Credit, Issue, Person, Place
from . import dates
from .presenters import headline_tree, issue_date_source
from ..labels import PAPER, date_note

FEED_LENGTH = 30
SUMMARY_LENGTH = 160
# Atom's text constructs (RFC 4287 section 3.1): the fields a reader displays.
TEXT_CONSTRUCTS = {"title", "subtitle", "summary", "rights"}


def text_as_html(text):
    """Plain text as HTML that shows exactly that text, line breaks kept."""
    return "<br>".join(escape(line) for line in str(text).split("\n"))


def cut(text, length=SUMMARY_LENGTH):
    """The first ``length`` characters of plain text, marked when cut.

    The cut is made on the text, before it is escaped, so it never falls
    inside a tag or an entity.
    """
    return text if len(text) <= length else text[:length] + "…"


def with_date_note(text, source):
    """A date the masthead did not print says where it came from, as on the reader's pages."""
    note = date_note(source)
    return f"{text}（{note}）" if note else text


class _EscapingHandler:
    """Wraps the XML writer: text constructs go out as escaped HTML."""

    def __init__(self, handler):
        self._handler = handler

    def addQuickElement(self, name, contents=None, attrs=None):  # noqa: N802 (the XML writer's name)
        if name in TEXT_CONSTRUCTS and contents is not None:
            contents = text_as_html(contents)
            attrs = {**(attrs or {}), "type": "html"}
        self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name):
        return getattr(self._handler, name)


class EscapedAtom1Feed(Atom1Feed):
    """Atom with escaped text constructs and every credited person as an <author> of the entry."""

    def add_root_elements(self, handler):
        super().add_root_elements(_EscapingHandler(handler))

    def add_item_elements(self, handler, item):
        super().add_item_elements(_EscapingHandler(handler), item)
        # Django writes one author per entry; an article may have several.
        for name in item.get("authors", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


def printed_at(day):
    """The print date as Atom's date-time: that day's start in the paper's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class PaperFeed(Feed):
    """What both feeds share: the paper as the feed's author (RFC 4287 4.1.1)."""

    feed_type = EscapedAtom1Feed
    author_name = PAPER

    def item_extra_kwargs(self, item):
        return {"authors": self.item_authors(item)}

    def item_authors(self, item):
        return [PAPER]


class IssueFeed(PaperFeed):
    subtitle = "每期报纸的版面与标题"

    def title(self):
        return f"{settings.PHNEWS_SITE_NAME} 新一期"

    def link(self):
        return reverse("home")

    def items(self):
        headlines = Article.objects.only("id", "page_id", "parent_id", "title").order_by("position")
        return Issue.objects.order_by("-date").prefetch_related(
            Prefetch("pages__articles", queryset=headlines)
        )[:FEED_LENGTH]

    def item_title(self, item):
        title = f"{dates.date_cn(item.date)} {item.weekday or dates.weekday_cn(item.date)}"
        return with_date_note(title, issue_date_source(item.pages.all()))

    def item_description(self, item):
        lines = []
        for page in sorted(item.pages.all(), key=lambda p: (p.sort_key, p.label)):
            titles = "；".join(
                a.title + (f"（{'、'.join(s.title for s in a.nav_sidebars)}）" if a.nav_sidebars else "")
                for a in headline_tree(page.articles.all()))
            where = " ".join(part for part in (page.label_cn, page.section) if part)
            lines.append(f"{where}：{titles}")
        return "\n".join(lines)

    # The day it was printed, not the day it was imported (the title carries the date's note).
    def item_updateddate(self, item):
        return printed_at(item.date)

    def item_pubdate(self, item):
        return printed_at(item.date)


class PersonFeed(PaperFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Person, pk=pk)

    def title(self, obj):
        return f"{obj.name}的文章 · {settings.PHNEWS_SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return [
            credit.article
            for credit in Credit.objects.filter(person=obj)
            .select_related("article__page__issue")
            .prefetch_related(Prefetch("article__credits",
                                       queryset=Credit.objects.select_related("person").order_by("order", "id")))
            .defer("article__page__raw_text", "article__page__leftover_text")
            .order_by("-article__page__issue__date", "-article__id")[:FEED_LENGTH]
        ]

    def item_authors(self, item):
        """Everyone credited on the article, in byline order."""
        seen = []
        for credit in item.credits.all():
            if credit.person not in seen:
                seen.append(credit.person)
        return [person.name for person in seen] or [PAPER]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_permanent_url()

    def item_description(self, item):
        if item.page.issue_id:
            where = with_date_note(dates.date_cn(item.page.issue.date), item.page.date_source)
        else:
            where = "日期不详"
        return f"{where} {item.page.label_cn}　{cut(item.body)}"

    # The print date; an article of unknown date has none to give (updated is
    # required, so it falls back to the last change).
    def item_updateddate(self, item):
        return printed_at(item.page.issue.date) if item.page.issue_id else item.updated_at

    def item_pubdate(self, item):
        return printed_at(item.page.issue.date) if item.page.issue_id else None


class PlaceFeed(PersonFeed):
    """A place's newest articles, its villages' included; items shown as on a person's feed."""

    def get_object(self, request, pk):
        return get_object_or_404(Place, pk=pk)

    def items(self, obj):
        from .places import feed_items

        return feed_items(obj, FEED_LENGTH)
