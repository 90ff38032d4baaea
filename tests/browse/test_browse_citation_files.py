"""Citation files read back with the field's own readers: rispy (RIS), bibtexparser (BibTeX), citeproc-py (CSL-JSON).

Every sample article's three files must give back the author, title, date
and page the article page shows (its Highwire tags, themselves checked in
test_browse_citing_meta.py), the date note of an unprinted date, and the
GB/T 7714 text word for word.
"""

import json
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from articles.browse.presenters import citation
from articles.labels import page_date_note
from articles.models import Article
from articles.search import sync


class Shown(HTMLParser):
    """What the article page says: its citation_* tags and its GB/T text box."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.gbt, self._in_gbt = {}, "", False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name", "").startswith("citation_"):
            self.meta.setdefault(attrs["name"], []).append(attrs["content"])
        self._in_gbt = tag == "textarea" and attrs.get("id") == "citation"

    def handle_data(self, data):
        if self._in_gbt:
            self.gbt += data

    def handle_endtag(self, tag):
        self._in_gbt = False


def shown(client, article):
    page = Shown(client.get(article.get_permanent_url()).content.decode())
    date = page.meta.get("citation_publication_date", [None])[0]
    return {
        "title": page.meta["citation_title"][0],
        "authors": page.meta.get("citation_author", []),
        "date": date.replace("/", "-") if date else None,
        "page": page.meta["citation_firstpage"][0],
        "date_note": page.meta.get("citation_date_note", [""])[0],
        "gbt": page.gbt,
    }


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "charset=utf-8" in response["Content-Type"]
    return response.content.decode("utf-8")


def read_ris(text):
    return [{
        "title": entry["title"],
        "authors": entry.get("authors", []),
        "date": entry["date"].rstrip("/").replace("/", "-") if "date" in entry else None,
        "page": entry["start_page"],
        "notes": entry.get("notes", []),
        "type": entry["type_of_reference"],
        "url": entry["urls"][0],
    } for entry in rispy.loads(text)]


def read_bibtex(text):
    library = bibtexparser.parse_string(text, append_middleware=[
        middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors()])
    assert not library.failed_blocks
    found = []
    for entry in library.entries:
        fields = {key: field.value for key, field in entry.fields_dict.items()}
        found.append({
            "title": fields["title"],
            "authors": fields.get("author", []),
            "date": fields.get("date"),
            "page": fields["pages"],
            "note": fields.get("note", ""),
            "journal": fields["journal"],
        })
    return found


def render_csl(text):
    """Each item as citeproc-py renders it with the Harvard style it bundles."""
    items = json.loads(text)
    bibliography = CitationStylesBibliography(
        CitationStylesStyle("harvard-cite-them-right", validate=False), CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = {str(key): str(entry) for key, entry in zip(bibliography.keys, bibliography.bibliography())}
    return items, rendered


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@pytest.fixture
def samples(imported_samples):
    articles = list(Article.objects.select_related("page__issue").order_by("pk"))
    assert len(articles) == 28
    return articles


def test_ris_round_trips_every_sample_article(client, samples):
    estimated = 0
    for article in samples:
        page = shown(client, article)
        [entry] = read_ris(download(client, f"/article/{article.pk}/cite.ris"))
        assert entry["type"] == "NEWS"
        assert (entry["title"], entry["authors"], entry["date"], entry["page"]) == (
            page["title"], page["authors"], page["date"], page["page"]), article.title
        assert entry["url"] == f"http://testserver/article/{article.pk}/"
        assert f"GB/T 7714: {page['gbt']}" in entry["notes"]
        if page["date_note"]:
            estimated += 1
            assert page["date_note"] in entry["notes"]
    assert estimated >= 4  # four sample pages take their date from the manifest


def test_bibtex_round_trips_every_sample_article_with_chinese_intact(client, samples):
    for article in samples:
        page = shown(client, article)
        text = download(client, f"/article/{article.pk}/cite.bib")
        assert article.title in text  # written as UTF-8, not escaped
        [entry] = read_bibtex(text)
        assert entry["journal"] == "嘉兴日报"
        # Braces keep each Chinese name whole; the names read back are the page's.
        assert [name.strip("{}") for name in entry["authors"]] == page["authors"], article.title
        assert (entry["title"], entry["date"], entry["page"]) == (page["title"], page["date"], page["page"])
        assert page["gbt"] in entry["note"]
        assert page["date_note"] in entry["note"]


def test_csl_json_renders_the_page_s_author_title_date_and_page(client, samples):
    for article in samples:
        page = shown(client, article)
        items, rendered = render_csl(download(client, f"/article/{article.pk}/cite.csl.json"))
        [item] = items
        assert item["type"] == "article-newspaper"
        text = rendered[item["id"]]
        assert page["title"] in text
        assert [name["literal"] for name in item.get("author", [])] == page["authors"]
        # The style names up to three authors, then "et al.".
        shown_names = page["authors"] if len(page["authors"]) <= 3 else page["authors"][:1]
        for name in shown_names:
            assert name in text
        year, month, day = (int(part) for part in page["date"].split("-"))
        assert f"({year})" in text and f"{day} {MONTHS[month - 1]}" in text, text
        assert f"p. {page['page']}" in text
        assert page["gbt"] in item["note"]


def test_a_title_with_latex_markup_survives_bibtex(client, archive):
    odd = Article.objects.get(title="春耕忙")
    # (A caret is written \\textasciicircum{}, which LaTeX prints as ^ but pylatexenc reads as U+02C6.)
    odd.title = "春耕忙{100%}_#1 & $2 \\ ~"
    odd.save()
    [entry] = read_bibtex(download(client, f"/article/{odd.pk}/cite.bib"))
    assert entry["title"] == odd.title


def test_page_file_holds_every_article_of_the_page(client, archive):
    c1 = Article.objects.get(title="夯实金平湖璀璨明珠的党建根基").page
    response = client.get(f"/{c1.issue.date}/{c1.label}/cite.ris")
    assert response["Content-Disposition"] == f'attachment; filename="phnews-{c1.issue.date}-C1.ris"'
    entries = read_ris(response.content.decode())
    assert [e["title"] for e in entries] == [
        "创新奋进 党建强基 夯实金平湖璀璨明珠的党建根基 ——访市委组织部常务副部长何小云", "根基在基层", "春耕忙"]
    # The page and article pages link their files.
    assert f'/{c1.issue.date}/C1/cite.bib"' in client.get(c1.get_absolute_url()).content.decode()
    main = Article.objects.get(title="夯实金平湖璀璨明珠的党建根基")
    assert f'/article/{main.pk}/cite.csl.json"' in client.get(main.get_absolute_url()).content.decode()


def test_an_unknown_format_is_404(client, archive):
    main = Article.objects.get(title="夯实金平湖璀璨明珠的党建根基")
    assert client.get(f"/article/{main.pk}/cite.doc").status_code == 404
    assert client.get("/article/999999/cite.ris").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_result_list_file_has_the_page_shown_or_every_result(client, imported_samples):
    sync.drain()
    api = client.get("/api/search", {"q": "平湖", "page_size": 5}).json()
    assert api["count"] > 5
    shown_page = read_ris(download(client, "/search/cite.ris?q=平湖&page_size=5"))
    assert [e["url"] for e in shown_page] == [
        f"http://testserver/article/{hit['id']}/" for hit in api["results"]]
    whole = read_bibtex(download(client, "/search/cite.bib?q=平湖&all=1"))
    assert len(whole) == api["count"]
    for entry in shown_page:
        article = Article.objects.select_related("page__issue").get(pk=int(entry["url"].rstrip("/").rsplit("/")[-1]))
        assert f"GB/T 7714: {citation(article)}" in entry["notes"]
        note = page_date_note(article.page)
        assert not note or note in entry["notes"]
    response = client.get("/search/cite.ris?q=平湖&month=2024-13")
    assert response.status_code == 400 and "2024-13" in response.content.decode()
