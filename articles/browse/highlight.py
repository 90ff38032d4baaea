"""Marking search words in article text, safely escaped."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe


def mark_terms(text, terms):
    """HTML of ``text`` with every occurrence of a term wrapped in <mark>."""
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
