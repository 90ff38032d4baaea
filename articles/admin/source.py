"""Where an article sits in its page's raw text, so the form can show that spot.

Raw text is wrapped at the printed column width, so an article's body rarely
appears verbatim; its title usually does (titles sit on one line), and
failing that the start of the first paragraph, compared with line breaks
and spaces ignored.
"""

import re

NEEDLE_LENGTH = 12


def _loose_pattern(text):
    chars = [re.escape(c) for c in re.sub(r"\s+", "", text)[:NEEDLE_LENGTH]]
    return re.compile(r"\s*".join(chars)) if chars else None


def locate(raw_text, article):
    """(start, end) of the article's first recognisable text in raw_text, or None."""
    candidates = [article.title, article.kicker, article.lead, article.body]
    for candidate in candidates:
        if not candidate or len(candidate.strip()) < 2:
            continue
        pattern = _loose_pattern(candidate)
        match = pattern.search(raw_text) if pattern else None
        if match:
            return match.start(), match.end()
    return None


def split_at_article(raw_text, article):
    """(before, marked, after): the raw text cut around the article's location."""
    found = locate(raw_text, article) if article is not None else None
    if not found:
        return raw_text, "", ""
    start, end = found
    return raw_text[:start], raw_text[start:end], raw_text[end:]
