"""How big a page may be: checked before anything of it is written.

A printed page holds tens of articles and some thousands to a few tens of
thousands of characters (the bundled samples: 5,000-7,000 characters, under
20 KB, 2-8 articles; a page of news briefs carries a few dozen). A file far past that is not a page — a whole
book, a log, a concatenation gone wrong — and storing it would commit tens of
thousands of "articles" and make every index update carry them. The limits
(settings, from the environment; docs/operations.md) leave ample headroom
above any real page; the byte limit is checked in sources.read_page_file
before the file is read.
"""

from django.conf import settings

from .decoding import RejectedFile, decode_page
from .sources import read_page_file


def check_page_size(text):
    limit = settings.PHNEWS_IMPORT_MAX_PAGE_CHARS
    if len(text) > limit:
        raise RejectedFile(
            f"版面过长：{len(text)} 个字符，超过上限 {limit}（一个印刷版面不过数万字；上限见 PHNEWS_IMPORT_MAX_PAGE_CHARS）"
        )


def check_article_count(record):
    limit = settings.PHNEWS_IMPORT_MAX_PAGE_ARTICLES
    count = len(record.articles)
    if count > limit:
        raise RejectedFile(
            f"文章过多：解析出 {count} 篇，超过上限 {limit}（一个印刷版面不过数十篇；上限见 PHNEWS_IMPORT_MAX_PAGE_ARTICLES）"
        )


def read_page_text(path, root=None):
    """(bytes as received, decoded text) of a page file, refused as the import refuses it (RefusedSource, RejectedFile)."""
    data = read_page_file(path, root)
    text, _encoding = decode_page(data)
    check_page_size(text)
    return data, text
