"""The archive as data: per-year files for the 数据下载 page, built by ``manage.py build_downloads``.

For each year (and the undated pages, as "undated"):

- ``phnews-<year>-<tag>.jsonl``: export format 2 (articles/archive_export.py,
  docs/importing.md) less the change history: a "people" line with the
  people that year's credits name, then that year's "page" lines, each with
  its articles complete;
- ``phnews-<year>-<tag>-text.zip``: one UTF-8 text file an article, named
  ``<date>_<page>_<position>.txt`` (headline, byline, where it was printed,
  the text).

Each file is written under a temporary name and renamed when complete, so
a reader never gets half a file; the tag in its name comes from what it
holds, so a build never overwrites a file the manifest in force describes.
The manifest (``downloads.json``: size, article count, SHA-256 and build
time of every file, the operator's terms) is replaced last, and only then
are the files it no longer names removed. A year is rebuilt only when its fingerprint (one aggregate
query over the archive) changed, so an unchanged archive costs a second.
Nothing here runs inside a request: the page only reads the manifest.
"""

import hashlib
import json
import os
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractYear

from . import archive_export
from .labels import PAPER, credits_by_role, page_date_note
from .models import Article, Credit, Page, Person

MANIFEST = "downloads.json"
# Bump when what a file holds changes, so every year is built again.
LAYOUT = 1
UNDATED = "undated"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same archive gives the same bytes


def downloads_dir():
    return Path(settings.PHNEWS_DOWNLOADS_DIR)


def read_manifest(folder=None):
    """The manifest as built, or None before the first build."""
    try:
        return json.loads((Path(folder or downloads_dir()) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def _year_of(value):
    return UNDATED if value is None else str(value)


def fingerprints():
    """{year: fingerprint} from a few aggregate queries: whatever a year's files hold changes it."""
    found = {}

    def add(rows, prefix):
        for row in rows:
            year = _year_of(row.pop("year"))
            found.setdefault(year, [LAYOUT]).append(
                [prefix, *(str(value) for _key, value in sorted(row.items()))])

    add(Page.objects.annotate(year=ExtractYear("issue__date")).values("year").order_by("year").annotate(
        n=Count("id"), ids=Sum("id"), changed=Max("updated_at"), issue_changed=Max("issue__updated_at")), "page")
    add(Article.objects.annotate(year=ExtractYear("page__issue__date")).values("year").order_by("year").annotate(
        n=Count("id"), ids=Sum("id"), changed=Max("updated_at")), "article")
    add(Credit.objects.annotate(year=ExtractYear("article__page__issue__date")).values("year").order_by("year")
        .annotate(n=Count("id"), ids=Sum("id"), people=Sum("person_id"), order=Sum("order"),
                  changed=Max("person__updated_at")), "credit")
    return {year: hashlib.sha256(json.dumps(parts).encode()).hexdigest() for year, parts in found.items()}


def _year_filter(year, prefix=""):
    if year == UNDATED:
        return Q(**{f"{prefix}issue__isnull": True})
    return Q(**{f"{prefix}issue__date__year": int(year)})


def _people_line(year, counts):
    people = Person.objects.filter(
        pk__in=Credit.objects.filter(_year_filter(year, "article__page__")).values("person_id"))
    return archive_export.people_record(counts, people)


def article_text(article, page):
    """An article as a text file: headline as printed, byline, where and when, the text."""
    lines = [part for part in (article.column, article.kicker, article.title, article.subtitle) if part]
    byline = " ".join(f"{label} {' '.join(p.name for p in people)}" for label, people in
                      credits_by_role(article.credits.all()))
    if byline:
        lines.append(byline)
    where = f"{PAPER}·{page.edition or '平湖版'}"
    if page.issue_id:
        where += f" {page.issue.date.isoformat()}"
        note = page_date_note(page)
        if note:
            where += f"（{note}）"
    if page.label:
        where += f" 第{page.label}版"
    lines += [where, ""]
    if article.lead:
        lines += [article.lead, ""]
    # The paragraphs as the article page shows them: the dateline opens the first.
    paragraphs = [block.get("text", "") for block in article.blocks or []] or [article.body]
    if article.dateline and paragraphs:
        paragraphs[0] = f"{article.dateline} {paragraphs[0]}"
    lines.append("\n\n".join(paragraphs))
    return "\n".join(lines).rstrip() + "\n"


def text_name(page, article):
    day = page.issue.date.isoformat() if page.issue_id else f"{UNDATED}-page{page.pk}"
    label = page.label or "x"
    return f"{day}_{label}_{article.position:02d}.txt"


class _Hashed:
    """A file written through, counting bytes and hashing them."""

    def __init__(self, path):
        self.file = open(path, "wb")
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.file.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)

    def close(self):
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()


def _file_entry(name, kind, size, sha256, articles, built_at):
    return {"name": name, "kind": kind, "bytes": size, "articles": articles, "sha256": sha256,
            "built_at": built_at}


def _write_year(year, counts, jsonl_tmp, zip_tmp):
    """Write the year's JSONL and text bundle under their temporary names; (hashed JSONL, article count)."""
    articles = 0
    jsonl = _Hashed(jsonl_tmp)
    try:
        jsonl.write(_line(_people_line(year, counts)))
        with zipfile.ZipFile(zip_tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as bundle:
            pages = archive_export.pages_in_order().filter(_year_filter(year))
            for page in pages.iterator(chunk_size=200):
                page_articles = list(page.articles.all())
                jsonl.write(_line({
                    "format": archive_export.FORMAT, "kind": "page",
                    "issue": archive_export.issue_record(page.issue),
                    "page": archive_export.page_record(page, counts),
                    "articles": [archive_export.article_record(a, counts) for a in page_articles],
                }))
                for article in page_articles:
                    info = zipfile.ZipInfo(text_name(page, article), date_time=_ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    bundle.writestr(info, article_text(article, page).encode("utf-8"))
                articles += len(page_articles)
    finally:
        jsonl.close()
    return jsonl, articles


def build_year(folder, year, counts, built_at, tag):
    """Write one year's two files; their manifest entries.

    ``tag`` (from the year's fingerprint) is part of the names, so a new
    build never replaces a file the manifest in force still describes.
    """
    jsonl_name, zip_name = f"phnews-{year}-{tag}.jsonl", f"phnews-{year}-{tag}-text.zip"
    jsonl_tmp, zip_tmp = folder / f".{jsonl_name}.tmp", folder / f".{zip_name}.tmp"
    try:
        jsonl, articles = _write_year(year, counts, jsonl_tmp, zip_tmp)
    except BaseException:
        # What was half written goes; the files of the last build stay as they were.
        jsonl_tmp.unlink(missing_ok=True)
        zip_tmp.unlink(missing_ok=True)
        raise
    zip_sha, zip_size = hashlib.sha256(), 0
    with open(zip_tmp, "rb") as written:
        for block in iter(lambda: written.read(1 << 20), b""):
            zip_sha.update(block)
            zip_size += len(block)
        os.fsync(written.fileno())
    os.replace(jsonl_tmp, folder / jsonl_name)
    os.replace(zip_tmp, folder / zip_name)
    return [_file_entry(jsonl_name, "jsonl", jsonl.size, jsonl.sha.hexdigest(), articles, built_at),
            _file_entry(zip_name, "text", zip_size, zip_sha.hexdigest(), articles, built_at)]


def _line(record):
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def _write_atomically(path, data):
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def build(folder=None, force=False, log=lambda message: None):
    """Bring the download files in step with the archive; (built years, kept years)."""
    folder = Path(folder or downloads_dir())
    folder.mkdir(parents=True, exist_ok=True)
    old = read_manifest(folder) or {}
    old_years = {entry["year"]: entry for entry in old.get("years", [])}
    current = fingerprints()
    counts = None
    built_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    years, built, kept = [], [], []
    for year in sorted(current, key=lambda y: (y == UNDATED, y)):
        entry = old_years.get(year)
        unchanged = (entry and entry["fingerprint"] == current[year]
                     and all((folder / f["name"]).is_file() for f in entry["files"]))
        if unchanged and not force:
            years.append(entry)
            kept.append(year)
            continue
        if counts is None:
            counts = archive_export.history_counts()
        log(f"building {year}")
        years.append({"year": year, "fingerprint": current[year],
                      "files": build_year(folder, year, counts, built_at, current[year][:10])})
        built.append(year)
    license_text = settings.PHNEWS_DATA_LICENSE
    if built or set(old_years) != set(current) or old.get("license") != license_text:
        manifest = {"layout": LAYOUT, "built_at": built_at if built else old.get("built_at", built_at),
                    "license": license_text, "years": years}
        _write_atomically(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    # Files of a year no longer in the archive go once the manifest no longer names them.
    named = {f["name"] for entry in years for f in entry["files"]} | {MANIFEST}
    for path in folder.iterdir():
        if path.is_file() and path.name not in named and path.name.startswith("phnews-"):
            path.unlink()
    return built, kept
