"""The local engine's scores: ranking.py's weights applied to posting lists, as numpy arrays.

BM25's term-frequency saturation and idf, without length norms: Whoosh's
BM25F reads each matching document's field length from a column on every
scored posting, which profiling showed as the largest single cost of ranking
a common word. The weights and the rules are ranking.py's; nothing here is
a number to tune.
"""

import numpy as np
from whoosh import scoring

from articles.search.text import bigrams
from articles.search.documents import LITERAL_FIELDS
from articles.search.engines.local.matchsets import EMPTY, as_docs, union
from articles.search.engines.local.evaluate import literal_set, term_weights
from articles.search import ranking
from articles.search.querylang import fuzzy_words


class SaturatedScorer(scoring.BaseScorer):
    def __init__(self, idf, k1, boost):
        self.idf, self.k1, self.boost = idf, k1, boost

    def supports_block_quality(self):
        return False

    def max_quality(self):
        # The saturation curve's ceiling, reached as the term frequency grows.
        return self.boost * self.idf * (self.k1 + 1)

    def score(self, matcher):
        return self.score_weight(matcher.weight())

    def score_weight(self, weight):
        """The score of a posting of this weight (evaluate.py scores without a matcher)."""
        return self.boost * self.idf * weight * (self.k1 + 1) / (weight + self.k1)


class SaturatedTfIdf(scoring.WeightingModel):
    def scorer(self, searcher, fieldname, text, qf=1):
        # Posting weights are term frequencies; qf carries ranking.py's weight.
        return SaturatedScorer(self.idf(searcher, fieldname, text), ranking.K1, qf)


def _bag(text, group, boost):
    """The literal's n-grams as independent (field, term, boost): cheap to score, no positions read."""
    bigram_field, unigram_field = LITERAL_FIELDS[group]
    if len(text) == 1:
        return [(unigram_field, text, boost)]
    return [(bigram_field, g, boost) for g in dict.fromkeys(bigrams(text))]


def _parts(text, field):
    """(field, term, boost) of one typed term as it scores: its n-grams in the text and, weighted up, the headline."""
    weights = ranking.WEIGHTS
    parts = _bag(text, "text", weights["text"]) + _bag(text, "headline", weights["headline"])
    if field == "any" and len(text) > 1:
        parts += [("headline_words", w, weights["headline_words"]) for w in fuzzy_words(text)]
    return parts


def scores_of(s, terms):
    """(docnums, scores): every document holding any of the typed ``terms``, each term scored as ``score_array``
    scores it alone (no adjacency), summed.

    Each part's posting list is read once, whole, weights included: for a
    caller that ranks every holder (more like this), cheaper than narrowing
    to candidates first and reading the lists again to score them.
    """
    reader = s.reader()
    # Dense over the docnums: a posting list holds each docnum once, so += by index is exact.
    totals, held = np.zeros(reader.doc_count_all()), np.zeros(reader.doc_count_all(), bool)
    for text, field in terms:
        for fieldname, term, boost in _parts(text, field):
            docs, weights = term_weights(reader, fieldname, term, None)
            if len(docs):
                scorer = s.weighting.scorer(s, fieldname, term, qf=boost)
                totals[docs] += scorer.score_weight(weights.astype(np.float64))
                held[docs] = True
    docs = np.flatnonzero(held).astype(EMPTY.dtype)
    return docs, totals[docs]


def score_array(s, terms, within):
    """(scores, matched by any part) of match set ``within``: two arrays aligned with it.

    Saturated tf·idf over the terms' n-grams in the text and, weighted up, in
    the headline, plus headline jieba words; when several terms were typed,
    their concatenation as one literal lifts articles that hold them side by
    side (only articles the rest already scored); the weights are
    ranking.py's, applied here at query time. ``tests/search/test_search_docsets.py``
    checks these scores against Whoosh's own.
    """
    totals = np.zeros(len(within))
    hit = np.zeros(len(within), bool)
    if not terms or not len(within):
        return totals, hit
    for text, field in terms:
        for fieldname, term, boost in _parts(text, field):
            _add_term(s, fieldname, term, boost, within, within, totals, hit)
    if len(terms) > 1:
        joined = "".join(text for text, _ in terms)
        scored = within[hit]
        for group, boost in ranking.ADJACENT.items():
            bigram_field, _ = LITERAL_FIELDS[group]
            if len(joined) == 2:
                _add_term(s, bigram_field, joined, boost, scored, within, totals, hit)
                continue
            totals[np.searchsorted(within, literal_set(s.reader(), bigram_field, joined, scored))] += boost
    return totals, hit


def _add_term(s, fieldname, text, boost, asked, within, totals, hit):
    """Add the term's scores of the docnums ``asked`` (a part of ``within``) to ``totals``, aligned with ``within``."""
    scorer = s.weighting.scorer(s, fieldname, text, qf=boost)
    docs, weights = term_weights(s.reader(), fieldname, text, asked)
    at = np.searchsorted(within, docs)
    # Scored in double precision, as Whoosh scores each posting's 32-bit weight.
    totals[at] += scorer.score_weight(weights.astype(np.float64))
    hit[at] = True


def in_headline(s, terms, within):
    """The match set of the docnums of ``within`` holding any of the terms literally in their headline."""
    within = as_docs(within)
    return union([literal_set(s.reader(), "headline", text, within) for text, _ in terms]) if terms else EMPTY
