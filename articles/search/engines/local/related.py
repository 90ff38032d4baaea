"""More like this on the local engine: the articles sharing an article's most distinctive bigrams.

haystack's ``SearchQuerySet.more_like_this(article)`` ends here
(``backend.more_like_this``). The index stores no text, so the article's
headline and body are read from its database row (``documents.document_for``,
as the index was written). Its bigrams are weighted by how often the article
uses them (a headline bigram counts as ranking.py's headline weight) times
their idf in the index; the RELATED_TERMS best are searched as an OR, scored
as typed terms are (``scoring.score_array``), equal scores newest first, the
article itself left out. A handful of bigrams keeps the cost of one search
with as many terms, under the same budget (budget.py).
"""

import math
import re
from collections import Counter

import numpy as np

from articles.models import Article
from articles.search import documents, ranking
from articles.search.text import PART_SEPARATOR, bigrams, fold
from articles.search.engines.local import columns, evaluate, matchsets, scoring

RELATED_TERMS = 8
_RUNS = re.compile(r"\w+")


def distinctive_terms(s, article, limit=RELATED_TERMS):
    """The ``limit`` bigrams of ``article`` best telling it apart from the rest of the index, best first."""
    row = documents.articles_for_index(Article.objects.filter(pk=article.pk)).first()
    if row is None:
        return []
    doc = documents.document_for(row)
    counts = Counter()
    for text, weight in ((doc["headline"], ranking.WEIGHTS["headline"]), (doc["body"], ranking.WEIGHTS["text"])):
        for part in text.split(PART_SEPARATOR):
            for run in _RUNS.findall(fold(part)):
                for gram in bigrams(run):
                    counts[gram] += weight
    reader, total = s.reader(), s.doc_count()
    weighted = []
    for gram, count in counts.items():
        frequency = reader.doc_frequency("text", gram)
        if frequency > 1:  # held by another article than this one
            weighted.append((count * math.log(total / frequency), gram))
    weighted.sort(key=lambda pair: (-pair[0], pair[1]))
    return [gram for _, gram in weighted[:limit]]


def related(s, article, within=None, start=0, stop=None):
    """(count, [(docnum, score)] of ranks [start, stop)) of the articles most like ``article``.

    ``within`` is a query tree the related articles must also match
    (SearchQuerySet filters added to ``more_like_this``).
    """
    terms = distinctive_terms(s, article)
    if not terms:
        return 0, []
    reader = s.reader()
    matched = matchsets.union([evaluate.term_docs(reader, "text", gram) for gram in terms])
    if within is not None and within.children:
        matched = evaluate.evaluate(s, within, matched)
    matched = matchsets.subtract(matched, evaluate.term_docs(reader, "id", documents.document_id(article.pk)))
    if not len(matched):
        return 0, []
    totals = sum(scoring.score_array(s, [(gram, "any")], matched)[0] for gram in terms)
    rounded = np.round(totals, 6)
    order = columns.numbers(s, "order")[matched]
    ranked = matched[np.lexsort((-order if ranking.NEWEST_FIRST else order, -rounded))]
    stop = len(ranked) if stop is None else stop
    scores = dict(zip(matched.tolist(), totals.tolist()))
    return len(ranked), [(d, scores[d]) for d in ranked[start:stop].tolist()]
