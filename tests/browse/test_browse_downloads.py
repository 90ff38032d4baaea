"""The 数据下载 page and manage.py build_downloads: per-year JSONL (export format 2) and text bundles.

Checked against the files themselves: every checksum, size and count the
page shows is recomputed from the bytes served; the JSONL holds every
article of its year as format 2; an unchanged archive rebuilds nothing;
a failed build leaves the files and manifest as they were.
"""

import hashlib
import io
import json
import zipfile
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command

from articles import downloads
from articles.models import Article


@pytest.fixture(autouse=True)
def downloads_dir(settings, tmp_path):
    settings.PHNEWS_DOWNLOADS_DIR = tmp_path / "downloads"
    settings.PHNEWS_DATA_LICENSE = "署名—非商业性使用 4.0（CC BY-NC 4.0），引用请注明嘉兴日报·平湖版。"
    return settings.PHNEWS_DOWNLOADS_DIR


def build(*args):
    out = StringIO()
    call_command("build_downloads", *args, stdout=out)
    return out.getvalue()


class Table(HTMLParser):
    """Each row of the downloads table: the file's link and the cells the page shows."""

    def __init__(self, html):
        super().__init__()
        self.rows, self.license, self._cell, self._in_license = [], "", None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "download" in (attrs.get("class") or ""):
            self.rows.append({"name": attrs["data-name"]})
        elif tag == "a" and self.rows and "href" not in self.rows[-1]:
            self.rows[-1]["href"] = attrs["href"]
        elif tag == "td" and attrs.get("class") == "bytes":
            self.rows[-1]["bytes"] = int(attrs["data-bytes"])
        elif tag == "td" and attrs.get("class") == "articles":
            self._cell = "articles"
        elif tag == "code" and attrs.get("class") == "sha256":
            self._cell = "sha256"
        elif tag == "p" and attrs.get("class") == "data-license":
            self._in_license = True

    def handle_data(self, data):
        if self._cell:
            self.rows[-1][self._cell] = data.strip()
            self._cell = None
        if self._in_license:
            self.license += data

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_license = False


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, b"".join(response.streaming_content)


def test_page_lists_every_year_and_its_checksums_match_the_files(client, imported_samples, downloads_dir):
    build()
    page = Table(client.get("/data/").content.decode())
    assert "CC BY-NC 4.0" in page.license
    years = {}
    for article in Article.objects.select_related("page__issue"):
        years.setdefault(str(article.page.issue.date.year), set()).add(article.pk)
    # A JSONL file and a text bundle for each year, named by the year.
    assert sorted((row["name"].split("-")[1], row["name"].endswith(".jsonl")) for row in page.rows) == sorted(
        (year, jsonl) for year in years for jsonl in (True, False))
    for row in page.rows:
        response, data = served(client, row["href"])
        assert response["Content-Disposition"] == f'attachment; filename="{row["name"]}"'
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        assert response["ETag"] == f'"{row["sha256"]}"'
        assert client.get(row["href"], HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        assert (downloads_dir / row["name"]).read_bytes() == data
        assert len(data) == row["bytes"]
        year = row["name"].split("-")[1]
        assert int(row["articles"]) == len(years[year])
        if row["name"].endswith(".jsonl"):
            lines = [json.loads(line) for line in data.decode("utf-8").splitlines()]
            assert all(line["format"] == 2 for line in lines)
            assert lines[0]["kind"] == "people" and all(line["kind"] == "page" for line in lines[1:])
            people = {p["id"] for p in lines[0]["people"]}
            found = set()
            for line in lines[1:]:
                assert line["issue"]["date"].startswith(year)
                for article in line["articles"]:
                    found.add(article["id"])
                    assert {c["person"] for c in article["credits"]} <= people
            assert found == years[year]
        else:
            bundle = zipfile.ZipFile(io.BytesIO(data))
            names = bundle.namelist()
            assert len(names) == len(years[year])
            for article in Article.objects.filter(pk__in=years[year]).select_related("page__issue"):
                name = f"{article.page.issue.date}_{article.page.label}_{article.position:02d}.txt"
                text = bundle.read(name).decode("utf-8")
                assert article.title in text and f"第{article.page.label}版" in text


def test_unchanged_archive_rebuilds_nothing_and_a_change_rebuilds_its_year_only(client, imported_samples,
                                                                               downloads_dir):
    assert "0 unchanged" in build()
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in downloads_dir.iterdir()}
    assert build().startswith("build_downloads: 0 year(s) built")
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in downloads_dir.iterdir()} == before

    article = Article.objects.select_related("page__issue").get(page__issue__date__year=2024, position=1)
    article.title = "改过的标题"
    article.save()
    assert "1 year(s) built (2024)" in build()
    after = {p.name: p.read_bytes() for p in downloads_dir.iterdir()}
    # Other years' files are the same files; 2024's are new ones, the old ones gone.
    assert {n for n in before if "-2024-" not in n} <= set(after)
    for name, (_, data) in before.items():
        if "-2024-" in name:
            assert name not in after
        elif name != downloads.MANIFEST:
            assert after[name] == data, name
    [jsonl] = [name for name in after if name.startswith("phnews-2024-") and name.endswith(".jsonl")]
    assert "改过的标题".encode() in after[jsonl]
    assert set(after) == {downloads.MANIFEST} | {f["name"] for y in downloads.read_manifest()["years"]
                                                 for f in y["files"]}


def test_a_failed_build_leaves_files_and_manifest_as_they_were(client, imported_samples, downloads_dir,
                                                               monkeypatch):
    build()
    before = {p.name: p.read_bytes() for p in downloads_dir.iterdir()}
    Article.objects.filter(page__issue__date__year=2023).first().save()  # 2023 must be built again

    def broken(article, page):
        raise OSError("disk full")

    monkeypatch.setattr(downloads, "article_text", broken)
    with pytest.raises(OSError):
        build()
    after = {p.name: p.read_bytes() for p in downloads_dir.iterdir()}
    assert after == before  # no half-written file left either


def test_only_files_the_manifest_lists_are_served(client, imported_samples, downloads_dir):
    build()
    (downloads_dir / "secret.txt").write_text("x")
    assert client.get("/data/secret.txt").status_code == 404
    assert client.get("/data/downloads.json").status_code == 404
    assert client.get("/data/..%2Fdownloads.json").status_code == 404


def test_before_the_first_build_the_page_says_so(client, db):
    response = client.get("/data/")
    assert response.status_code == 200
    assert "尚未生成" in response.content.decode()
    assert client.get("/api/downloads.json").json()["years"] == []
