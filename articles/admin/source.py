"""Where an article sits in its page's raw text, so the form can mark all of it.

The parser records each article's source spans (line ranges of the raw text,
several where another article interrupts it); the importer stores them, and
the pane marks exactly those lines. An article without spans (imported
before they were recorded, or split by staff) is found by its text instead:
raw text is wrapped at the printed column width, so an article's text rarely
appears verbatim; it is compared with line breaks and spaces ignored. The
article starts where its kicker or title (or failing those, its lead or first
paragraph) is found, and ends where the last paragraph that can be found
after that start ends: the mark covers the whole article, not its first words.
"""

import re

NEEDLE_LENGTH = 12
# A kicker sits just above its title; farther up, the same words belong to something else.
KICKER_REACH = 200
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _loose_pattern(text, tail=False):
    compact = re.sub(r"\s+", "", text)
    compact = compact[-NEEDLE_LENGTH:] if tail else compact[:NEEDLE_LENGTH]
    chars = [re.escape(c) for c in compact]
    return re.compile(r"\s*".join(chars)) if chars else None


def _start(raw_text, article):
    """(start, end) of the article's first recognisable text, or None."""
    title = _search(article.title, raw_text)
    if title is not None:
        start = title.start()
        kicker = _pattern(article.kicker)
        if kicker is not None:
            above = [m for m in kicker.finditer(raw_text, max(0, start - KICKER_REACH), start)]
            if above:
                start = above[-1].start()
        return start, title.end()
    for candidate in (article.kicker, article.lead, article.body):
        match = _search(candidate, raw_text)
        if match is not None:
            return match.start(), match.end()
    return None


def _pattern(text):
    return _loose_pattern(text) if text and len(text.strip()) >= 2 else None


def _search(text, raw_text):
    pattern = _pattern(text)
    return pattern.search(raw_text) if pattern is not None else None


def _end(raw_text, article, start):
    """Where the last paragraph found after ``start`` ends, or None."""
    paragraphs = [p for p in PARAGRAPH_BREAK.split(article.body or "") if len(p.strip()) >= 2]
    for paragraph in reversed(paragraphs):
        match = _loose_pattern(paragraph, tail=True).search(raw_text, start)
        if match:
            return match.end()
    return None


def locate(raw_text, article):
    """(start, end) of the article in raw_text, or None."""
    first = _start(raw_text, article)
    if first is None:
        return None
    start, end = first
    return start, max(end, _end(raw_text, article, start) or end)


def split_at_article(raw_text, article):
    """(before, marked, after): the raw text cut around the article, found by its text."""
    found = locate(raw_text, article) if article is not None else None
    if not found:
        return raw_text, "", ""
    start, end = found
    return raw_text[:start], raw_text[start:end], raw_text[end:]


def segments(raw_text, article):
    """[(text, marked, first)] covering raw_text: the article's spans marked, or else where its text is found.

    first is true on the first marked part only: the pane scrolls to it.
    """
    parts = _parts(raw_text, article)
    first = next((n for n, (_, marked) in enumerate(parts) if marked), None)
    return [(text, marked, n == first) for n, (text, marked) in enumerate(parts)]


def _parts(raw_text, article):
    spans = getattr(article, "source_spans", None)
    if not spans:
        return [(text, flag) for text, flag in zip(split_at_article(raw_text, article), (False, True, False)) if text]
    # The parser numbered the lines of the text with its line ends made "\n".
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    out, at = [], 0
    for first, last in sorted(spans):
        first, last = min(first, len(lines) - 1), min(last, len(lines) - 1)
        begin, end = max(starts[first], at), starts[last] + len(lines[last])
        if begin >= end:
            continue
        out += [(text[at:begin], False), (text[begin:end], True)]
        at = end
    out.append((text[at:], False))
    return [part for part in out if part[0]]
