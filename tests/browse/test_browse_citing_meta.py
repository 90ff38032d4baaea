"""Reference managers read every article: Highwire/Dublin Core tags on the article page, COinS in lists.

The tags are read the way Zotero's embedded-metadata reader reads them:
the HTML is parsed, ``<meta name=... content=...>`` collected per name in
document order, and a ``span.Z3988`` title parsed as an OpenURL query.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qs

import pytest

from articles.models import Article
from articles.browse.presenters import AUTHOR_ROLES
from articles.labels import page_date_note
from articles.search import sync


class Embedded(HTMLParser):
    """Meta tags by name (every value, in order) and the COinS spans of a page."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.coins = {}, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.meta.setdefault(attrs["name"], []).append(attrs.get("content", ""))
        if tag == "span" and "Z3988" in (attrs.get("class") or "").split():
            self.coins.append(parse_qs(attrs["title"], strict_parsing=True))

    def item(self):
        """What the embedded-metadata reader makes of the Highwire tags."""
        one = lambda name: (self.meta.get(name) or [None])[0]  # noqa: E731
        return {
            "title": one("citation_title"),
            "creators": self.meta.get("citation_author", []),
            "date": one("citation_publication_date") or one("DC.date"),
            "publicationTitle": one("citation_journal_title"),
            "pages": one("citation_firstpage"),
            "language": one("citation_language"),
            "url": one("citation_public_url") or one("citation_abstract_html_url"),
        }


def embedded(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return Embedded(response.content.decode())


def expected(article, absolute):
    page = article.page
    authors = []
    for credit in article.credits.order_by("order", "id").select_related("person"):
        if credit.role in AUTHOR_ROLES and credit.person.name not in authors:
            authors.append(credit.person.name)
    return {
        "title": " ".join(p.strip() for p in (article.kicker, article.title, article.subtitle) if p.strip()),
        "creators": authors,
        "date": page.issue.date.strftime("%Y/%m/%d") if page.issue_id else None,
        "publicationTitle": "嘉兴日报",
        "pages": page.label,
        "language": "zh-CN",
        "url": absolute(f"/article/{article.pk}/"),
    }


def test_article_page_reads_as_a_newspaper_article(client, archive):
    main = Article.objects.get(title="夯实金平湖璀璨明珠的党建根基")
    page = embedded(client, main.get_absolute_url())
    assert page.item() == {
        "title": "创新奋进 党建强基 夯实金平湖璀璨明珠的党建根基 ——访市委组织部常务副部长何小云",
        "creators": ["李雨婷"],
        "date": "2023/03/10",
        "publicationTitle": "嘉兴日报",
        "pages": "C1",
        "language": "zh-CN",
        "url": f"http://testserver/article/{main.pk}/",
    }
    assert page.meta["citation_edition"] == ["平湖版"]
    assert page.meta["DC.creator"] == ["李雨婷"]
    assert page.meta["DC.source"] == ["嘉兴日报·平湖版 第C1版"]


def test_every_credited_author_in_byline_order_and_no_photographer(client, archive):
    half = Article.objects.get(title="上半年平湖经济稳中向好")
    assert embedded(client, half.get_absolute_url()).item()["creators"] == ["林旭东", "王晨慧"]
    photo = Article.objects.get(title="春耕忙")
    # A photographer is credited but is not an author of a text (as in the GB/T citation).
    assert embedded(client, photo.get_absolute_url()).item()["creators"] == []


def test_every_sample_article_carries_its_record_and_an_unprinted_date_says_so(client, imported_samples):
    articles = list(Article.objects.select_related("page__issue").order_by("pk"))
    assert len(articles) == 28
    estimated = 0
    for article in articles:
        page = embedded(client, article.get_permanent_url())
        assert page.item() == expected(article, lambda path: f"http://testserver{path}"), article.title
        note = page_date_note(article.page)
        assert page.meta.get("citation_date_note", []) == ([note] if note else [])
        estimated += bool(note)
    # Four of the five sample pages take their date from the manifest, not the masthead.
    assert estimated >= 4


def test_page_view_lists_each_article_as_coins(client, archive):
    c1 = Article.objects.get(title="夯实金平湖璀璨明珠的党建根基").page
    page = embedded(client, c1.get_absolute_url())
    assert len(page.coins) == c1.articles.count() == 3
    main = page.coins[0]
    assert main["rft.atitle"] == ["创新奋进 党建强基 夯实金平湖璀璨明珠的党建根基 ——访市委组织部常务副部长何小云"]
    assert main["rft.au"] == ["李雨婷"]
    assert main["rft.date"] == ["2023-03-10"]
    assert main["rft.spage"] == ["C1"]
    assert main["rft.jtitle"] == ["嘉兴日报·平湖版"]
    ids = {c["rft_id"][0] for c in page.coins}
    assert ids == {f"http://testserver/article/{a.pk}/" for a in c1.articles.all()}


@pytest.mark.django_db(transaction=True)
def test_search_results_list_each_hit_as_coins(client, imported_samples):
    sync.drain()
    page = embedded(client, "/search/?q=平湖")
    assert len(page.coins) >= 2
    for found in page.coins:
        pk = int(found["rft_id"][0].rstrip("/").rsplit("/", 1)[1])
        article = Article.objects.select_related("page__issue").get(pk=pk)
        record = expected(article, lambda path: f"http://testserver{path}")
        assert found["rft.atitle"] == [record["title"]]
        assert found.get("rft.au", []) == record["creators"]
        assert found["rft.date"] == [article.page.issue.date.isoformat()]
        assert found["rft.spage"] == [article.page.label]
