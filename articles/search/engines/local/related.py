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
the article itself left out. Past ``RELATED_SCORED`` matches only those
sharing the most are scored. A handful of terms keeps the cost that of one
search with as many terms, under the same budget (budget.py).
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
    held = [evaluate.term_docs(reader, field, term) for field, term in terms]
    # Only shared words make a report related; a shared name adds to it. A
    # reporter or a town alone is shared by many reports about other things.
    matched = matchsets.union([docs for (field, _), docs in zip(terms, held) if field == "text"])
    if within is not None and within.children:
        matched = evaluate.evaluate(s, within, matched)
    matched = matchsets.subtract(matched, evaluate.term_docs(reader, "id", documents.document_id(article.pk)))
    if not len(matched):
        return 0, []
    scored, rest = _worth_scoring(s, [(term, docs) for (field, term), docs in zip(terms, held) if field == "text"],
                                  matched)
    totals = np.zeros(len(scored))
    for (field, term), docs in zip(terms, held):
        if field == "text":
            totals += scoring.score_array(s, [(term, "any")], scored)[0]
        else:
            totals[matchsets.contains(docs, scored)] += ranking.RELATED_WEIGHTS[field] * s.idf(field, term)
    rounded = np.round(totals, 6)
    order = columns.numbers(s, "order")[scored]
    ranked = scored[np.lexsort((-order if ranking.NEWEST_FIRST else order, -rounded))].tolist() + rest
    stop = len(ranked) if stop is None else stop
    scores = dict(zip(scored.tolist(), totals.tolist()))
    return len(ranked), [(d, scores.get(d, 0.0)) for d in ranked[start:stop]]


def _worth_scoring(s, texts, matched):
    """(match set to score, [docnums not scored, in order]): past RELATED_SCORED matches, those holding the most.

    Scoring reads every term's postings for every match; a report sharing
    one common bigram cannot outrank one sharing most of them. So past
    ``ranking.RELATED_SCORED`` matches only as many holding the largest
    idf sum of the bigrams (in the headline weighted as scoring weighs it)
    are scored; the rest follow unscored, by that sum, then newest first.
    """
    if len(matched) <= ranking.RELATED_SCORED:
        return matched, []
    held = np.zeros(len(matched))
    reader = s.reader()
    for term, docs in texts:
        held[matchsets.contains(docs, matched)] += s.idf("text", term)
        # A headline holding it weighs as scoring weighs it (headline postings are short to read).
        headline = evaluate.term_docs(reader, "headline", term)
        held[matchsets.contains(headline, matched)] += ranking.WEIGHTS["headline"] * s.idf("headline", term)
    order = columns.numbers(s, "order")[matched]
    ranked = np.lexsort((-order if ranking.NEWEST_FIRST else order, -np.round(held, 6)))
    return np.sort(matched[ranked[:ranking.RELATED_SCORED]]), matched[ranked[ranking.RELATED_SCORED:]].tolist()
