"""Literal-substring recall over the whole imported sample archive.

For every article, many substrings of its headline, body and credited names
(1 and 2 characters, names, numbers, longer runs, runs that cross a space or
a paragraph break, full-width/ASCII punctuation swapped) must find it.
"""

import random
import re

import pytest

from articles.search.text import fold
from articles.search.service import SearchRequest, search

WIDE = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
NARROW = {v: k for k, v in WIDE.items()}


def _finds(query, article_id, **options):
    req = SearchRequest(q=query, **options)
    result = search(req, facets=False, window=(0, 5000), snippets=False)
    assert not result.error, (query, result.error)
    return article_id in {hit.id for hit in result.hits}


def _quoted(text):
    # A substring may contain spaces (= AND) or quotes; quoting makes it one literal.
    return '"' + text.replace('"', "") + '"'


def _samples(text, rng, count):
    text = text.strip()
    found = []
    for _ in range(count):
        if len(text) < 2:
            break
        size = rng.choice([1, 2, 2, 3, 4, 5, 8, 13])
        start = rng.randrange(0, max(1, len(text) - size))
        piece = text[start:start + size]
        if any(c.isalnum() for c in piece) and '"' not in piece and "“" not in piece and "”" not in piece:
            found.append(piece)
    return found


@pytest.mark.django_db
def test_every_sampled_substring_finds_its_article(indexed_samples):
    rng = random.Random(20261123)
    checked = 0
    misses = []
    for article in indexed_samples:
        names = [c.person.name for c in article.credits.all()]
        sources = [article.title, article.kicker, article.subtitle, article.lead, article.body, *names]
        pieces = []
        for source in filter(None, sources):
            pieces += _samples(source, rng, 3 if len(source) < 60 else 25)
        # Every number as printed (120.4亿元, 5134, 2023年…) and every name whole.
        pieces += re.findall(r"\d+(?:\.\d+)?[%亿万元年月日个家项]*", article.body)[:15]
        pieces += names
        for piece in pieces:
            checked += 1
            if not _finds(_quoted(piece), article.pk):
                misses.append((article.pk, piece))
    assert checked > 1000
    assert not misses, misses[:20]


@pytest.mark.django_db
def test_substrings_across_wrapped_lines_spaces_and_punctuation_width(indexed_samples):
    rng = random.Random(7)
    checked = 0
    for article in indexed_samples:
        body = article.body
        # Across a paragraph break: the end of one paragraph + the start of the next.
        for match in list(re.finditer(r"\n\n", body))[:3]:
            piece = body[max(0, match.start() - 3):match.end() + 3]
            if fold(piece).isascii() or any(q in piece for q in '"“”'):
                continue
            assert _finds(_quoted(piece), article.pk), piece
            checked += 1
        # Typed with the other punctuation width than printed.
        for piece in _samples(body, rng, 40):
            if not any(c in WIDE or c in NARROW for c in piece):
                continue
            swapped = "".join(WIDE.get(c, NARROW.get(c, c)) for c in piece)
            assert _finds(_quoted(swapped), article.pk), (piece, swapped)
            checked += 1
        # The typesetting space a reader does not type: "王 强" vs "王强".
        spaced = [m.group(0) for m in re.finditer(r"\S{2} \S{2}", body)][:3]
        for piece in spaced:
            assert _finds(_quoted(piece.replace(" ", "")), article.pk), piece
            checked += 1
    assert checked > 30


@pytest.mark.django_db
def test_unquoted_and_exact_mode_and_headline_field_keep_recall(indexed_samples):
    rng = random.Random(3)
    for article in indexed_samples:
        for piece in _samples(article.body, rng, 8):
            if " " in piece or fold(piece) != piece.replace(" ", ""):
                continue
            assert _finds(piece, article.pk), piece
            assert _finds(piece, article.pk, match="exact"), piece
        for piece in _samples(article.title, rng, 3):
            if " " in piece:
                continue
            assert _finds(piece, article.pk, field="headline"), piece
        for credit in article.credits.all():
            name = credit.person.name
            assert _finds(name, article.pk, field="person", match="exact"), name
            assert _finds(name[-2:], article.pk, field="person"), name


@pytest.mark.django_db
def test_a_quoted_substring_finds_exactly_the_articles_a_text_scan_finds(indexed_samples):
    """Not only the article a piece was cut from: every article holding it, and no other."""
    from articles.search.text import PART_SEPARATOR
    from articles.search.documents import articles_for_index, document_for
    from articles.models import Article

    parts = {
        a.pk: [fold(part) for part in document_for(a)["text"].split(PART_SEPARATOR)]
        for a in articles_for_index(Article.objects.all())
    }
    rng = random.Random(11)
    checked = shared = 0
    for article in indexed_samples:
        for piece in _samples(article.body, rng, 12) + _samples(article.title, rng, 2):
            folded = fold(piece)
            if not folded:
                continue
            expected = {pk for pk, texts in parts.items() if any(folded in text for text in texts)}
            result = search(SearchRequest(q=_quoted(piece)), facets=False, window=(0, 5000), snippets=False)
            assert {hit.id for hit in result.hits} == expected, piece
            assert result.count == len(expected)
            checked += 1
            shared += len(expected) > 1
    assert checked > 300 and shared > 50
