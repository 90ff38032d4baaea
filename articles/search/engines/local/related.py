"""More like this on the local engine: the articles sharing an article's most distinctive words, people and places.

haystack's ``SearchQuerySet.more_like_this(article)`` ends here
(``backend.more_like_this``). The article is read as the index holds it (its
stored headline, body, people and places), so an article page asking costs
no database query; an article the index does not hold yet is read from its
database row as the index would write it. What it shares is weighted as
ranking.py says (``RELATED_*``): of the ``RELATED_CANDIDATES`` headline and
body bigrams it uses most (a headline bigram counts as the headline weight,
earlier ones first among equals), the ``RELATED_TERMS`` best by use times idf
(those in more than ``RELATED_MAX_SHARE`` of the archive only when too few
others are left); its ``RELATED_NAMES`` rarest people and places each. The
bigrams are searched as one OR (a report is related by the words it shares:
a reporter or a town alone is shared by many reports about other things); a
bigram scores as a typed term does (``scoring.score_array``), a shared
person or place adds its weight times its idf; equal scores newest first,
the article itself left out. Every report sharing a bigram is scored: each
term's posting lists are read once, whole (``scoring.scores_of``). A
handful of terms keeps the cost that of one search with as many terms,
under the same budget (budget.py).
"""

import math
import re
from collections import Counter

import numpy as np

from articles.models import Article
from articles.search import documents, ranking
from articles.search.text import PART_SEPARATOR, bigrams, fold
from articles.search.engines.local import columns, evaluate, matchsets, scoring

# The whole-value fields a shared name counts in (the index's people and places).
NAME_FIELDS = tuple(ranking.RELATED_WEIGHTS)
_HEADLINE = ("kicker", "title", "subtitle")  # documents.Parts.headline's order
_RUNS = re.compile(r"\w+")


def article_texts(s, article):
    """(headline, body, {field: [names as printed]}) of ``article`` as the index holds (or would hold) it."""
    found = evaluate.term_docs(s.reader(), "id", documents.document_id(article.pk))
    if len(found):
        doc = s.stored_fields(int(found[0]))
        headline = PART_SEPARATOR.join(doc[name] for name in _HEADLINE if doc.get(name))
    else:
        row = documents.articles_for_index(Article.objects.filter(pk=article.pk)).first()
        if row is None:
            return "", "", {name: [] for name in NAME_FIELDS}
        doc = documents.document_for(row)
        headline = doc["headline"]
    names = {name: [value for value in (doc.get(name) or "").split(",") if value] for name in NAME_FIELDS}
    return headline, doc.get("body") or "", names


def distinctive_terms(s, article):
    """[(field, term)]: what best tells ``article`` apart and other articles share, as the index's terms.

    The best ``RELATED_TERMS`` bigrams ("text"), best first, then per name
    field its rarest ``RELATED_NAMES`` values (folded, as indexed).
    """
    headline, body, names = article_texts(s, article)
    reader, total = s.reader(), s.doc_count()
    counts = Counter()
    for text, weight in ((headline, ranking.WEIGHTS["headline"]), (body, ranking.WEIGHTS["text"])):
        for part in text.split(PART_SEPARATOR):
            for run in _RUNS.findall(fold(part)):
                for gram in bigrams(run):
                    counts[gram] += weight
    weighted = []
    for gram, count in counts.most_common(ranking.RELATED_CANDIDATES):
        frequency = reader.doc_frequency("text", gram)
        if frequency > 1:  # held by another article than this one
            # One in many articles says little and costs most to read: only when too few others are left.
            weighted.append((frequency > ranking.RELATED_MAX_SHARE * total, -count * math.log(total / frequency), gram))
    weighted.sort()
    terms = [("text", gram) for _, _, gram in weighted[:ranking.RELATED_TERMS]]
    for field in NAME_FIELDS:
        shared = []
        for value in dict.fromkeys(fold(name.strip()) for name in names[field]):
            frequency = reader.doc_frequency(field, value) if value else 0
            if frequency > 1:
                shared.append((frequency, value))
        terms += [(field, value) for _, value in sorted(shared)[:ranking.RELATED_NAMES]]
    return terms


def related(s, article, within=None, start=0, stop=None):
    """(count, [(docnum, score)] of ranks [start, stop)) of the articles most like ``article``.

    ``within`` is a query tree the related articles must also match
    (SearchQuerySet filters added to ``more_like_this``).
    """
    terms = distinctive_terms(s, article)
    if not terms:
        return 0, []
    reader = s.reader()
    # Only shared words make a report related; a shared name adds to it. A
    # reporter or a town alone is shared by many reports about other things.
    matched, totals = scoring.scores_of(s, [(term, "any") for field, term in terms if field == "text"])
    keep = ~matchsets.contains(evaluate.term_docs(reader, "id", documents.document_id(article.pk)), matched)
    if within is not None and within.children:
        keep &= matchsets.contains(evaluate.evaluate(s, within, matched), matched)
    matched, totals = matched[keep], totals[keep]
    if not len(matched):
        return 0, []
    for field, term in terms:
        if field != "text":
            totals[matchsets.contains(evaluate.term_docs(reader, field, term), matched)] += (
                ranking.RELATED_WEIGHTS[field] * s.idf(field, term))
    # Only the reports that can reach rank ``stop`` are sorted: those scoring at least the stop-th score.
    rounded = np.round(totals, 6)
    wanted = len(matched) if stop is None else min(stop, len(matched))
    candidates = np.arange(len(matched))
    if 0 < wanted < len(matched):
        candidates = np.flatnonzero(rounded >= np.partition(rounded, len(matched) - wanted)[len(matched) - wanted])
    order = columns.numbers(s, "order")[matched[candidates]]
    ranked = candidates[np.lexsort((-order if ranking.NEWEST_FIRST else order, -rounded[candidates]))]
    return len(matched), [(int(matched[i]), float(totals[i])) for i in ranked[start:stop]]
