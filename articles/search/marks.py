"""Highlighting for Chinese text: find the query's marks (``Plan.marks``), mark them, cut a snippet.

The one place results, snippets and the article page are marked, whichever
engine answered.

Matching happens in folded text (same fold as the index) and every match is
mapped back to source character offsets, so a highlight covers exactly the
characters that matched even across typesetting spaces, line breaks and
full-width/ASCII differences. Python strings index by code point, so a
snippet boundary never splits a character; it is also moved off any marked
span so no highlight is cut in half.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.search.text import fold_with_offsets

SNIPPET_CHARS = 110
LEAD_IN = 24
SENTENCE_ENDS = "。！？；!?;\n"


def marked_fields(title, body, terms):
    """What a search result's ``highlighted`` holds: {stored field: [HTML]}, the title whole, the body as a snippet."""
    return {"title": [highlight(title, terms)], "body": [snippet(body, terms)]}


def find_spans(text, terms):
    """Merged (start, end) source offsets of every occurrence of any folded term."""
    if not text or not terms:
        return []
    folded, offsets = fold_with_offsets(text)
    spans = []
    for term in terms:
        if not term:
            continue
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((offsets[start], offsets[end - 1] + 1))
            start = folded.find(term, start + 1)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def render(text, spans, start=0, end=None):
    """HTML of text[start:end] with the spans inside it marked."""
    end = len(text) if end is None else end
    out, cursor = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[cursor:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight(text, terms):
    """The whole text as HTML with every match marked."""
    return mark_safe(render(text or "", find_spans(text or "", terms)))


def _best_window(spans, size):
    """Index of the span whose window of ``size`` chars holds the most matched characters."""
    best, best_score, right, covered = 0, -1, 0, 0
    for left in range(len(spans)):
        if right < left:
            right, covered = left, 0
        while right < len(spans) and spans[right][1] <= spans[left][0] + size:
            covered += spans[right][1] - spans[right][0]
            right += 1
        if covered > best_score:
            best, best_score = left, covered
        if right > left:
            covered -= spans[left][1] - spans[left][0]
    return best


def snippet(text, terms, size=SNIPPET_CHARS):
    """A short HTML extract of ``text`` around its densest matches, marked."""
    text = (text or "").strip()
    spans = find_spans(text, terms)
    if not spans:
        cut = text[:size]
        return mark_safe(escape(cut) + ("…" if len(text) > size else ""))
    first = spans[_best_window(spans, size)][0]
    start = max(0, first - LEAD_IN)
    # Prefer to begin at a sentence start close before the match.
    for i in range(first - 1, start - 1, -1):
        if text[i] in SENTENCE_ENDS:
            start = i + 1
            break
    end = min(len(text), start + size)
    # Never leave a highlight half inside the snippet.
    for s, e in spans:
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    html = render(text, spans, start, end).replace("\n", " ")
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(text) else ""))
