"""An article as a bibliographic record, and that record as embedded metadata.

One ``Reference`` per article, built from the database row here (article and
page views, citation files) and from a stored search hit by the search
pages (result lists are built from the index alone, without a query). Highwire ``citation_*`` tags
and Dublin Core go in the article page's head; a COinS span stands for each
article in a list, so a reference manager offers to save several at once.
"""

import dataclasses
from datetime import date as Date
from urllib.parse import urlencode

from django.urls import reverse

from .presenters import AUTHOR_ROLES, citation
from ..labels import PAPER, date_note, page_date_note

EDITION = "平湖版"
LANGUAGE = "zh-CN"


@dataclasses.dataclass
class Reference:
    id: int
    title: str  # kicker, headline and deck as printed
    authors: list  # every credited author, in byline order
    date: Date | None
    date_note: str  # why the date is not the masthead's, when it is not
    page: str
    url: str  # the permanent link
    edition: str = EDITION
    newspaper: str = PAPER
    language: str = LANGUAGE
    citation: str = ""  # GB/T 7714 text, as the article page shows it


def printed_title(kicker, title, subtitle):
    return " ".join(part.strip() for part in (kicker, title, subtitle) if part and part.strip())


def permanent_url(absolute, pk):
    return absolute(reverse("article_by_id", kwargs={"pk": pk}))


def from_article(article, absolute):
    """``article`` with page__issue loaded and credits prefetched; ``absolute`` makes a path a URL."""
    page = article.page
    authors = []
    for credit in article.credits.all():
        if credit.role in AUTHOR_ROLES and credit.person.name not in authors:
            authors.append(credit.person.name)
    return Reference(
        id=article.pk,
        title=printed_title(article.kicker, article.title, article.subtitle),
        authors=authors,
        date=page.issue.date if page.issue_id else None,
        date_note=page_date_note(page),
        page=page.label,
        url=permanent_url(absolute, article.pk),
        edition=page.edition or EDITION,
        citation=citation(article),
    )


def meta_tags(ref):
    """[(name, content)] for the page head, in the order a reader of them expects."""
    tags = [("citation_title", ref.title)]
    tags += [("citation_author", name) for name in ref.authors]
    if ref.date:
        tags.append(("citation_publication_date", ref.date.strftime("%Y/%m/%d")))
    if ref.date_note:
        # Highwire has no word for an unprinted date; say it beside the date rather than drop it.
        tags.append(("citation_date_note", ref.date_note))
    tags += [
        ("citation_newspaper_title", ref.newspaper),
        # Zotero's embedded-metadata reader takes the publication from the journal title.
        ("citation_journal_title", ref.newspaper),
        ("citation_edition", ref.edition),
        ("citation_firstpage", ref.page),
        ("citation_language", ref.language),
        ("citation_public_url", ref.url),
        ("citation_abstract_html_url", ref.url),
        ("DC.title", ref.title),
    ]
    tags += [("DC.creator", name) for name in ref.authors]
    if ref.date:
        tags.append(("DC.date", ref.date.isoformat()))
    tags += [
        ("DC.type", "Text"),
        ("DC.source", f"{ref.newspaper}·{ref.edition} 第{ref.page}版" if ref.page else f"{ref.newspaper}·{ref.edition}"),
        ("DC.language", ref.language),
        ("DC.identifier", ref.url),
    ]
    return [(name, content) for name, content in tags if content]


def coins(ref):
    """The OpenURL ContextObject a COinS span carries (Z3988), for one article in a list."""
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
        ("rft_id", ref.url),
        ("rft.genre", "article"),
        ("rft.atitle", ref.title),
        ("rft.jtitle", f"{ref.newspaper}·{ref.edition}"),
    ]
    if ref.date:
        pairs.append(("rft.date", ref.date.isoformat()))
    if ref.page:
        pairs.append(("rft.spage", ref.page))
    pairs += [("rft.au", name) for name in ref.authors]
    pairs.append(("rft.language", ref.language))
    return urlencode(pairs)
