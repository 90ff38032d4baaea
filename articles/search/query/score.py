"""Ranking weights: BM25's term-frequency saturation and idf, without length norms.

Whoosh's BM25F reads each matching document's field length from a column on
every scored posting; profiling showed that lookup as the largest single cost
of ranking a common word. Our documents are newspaper articles of similar
size and the headline is scored as its own field, so length normalisation
buys little; saturation (k1) still keeps one word repeated 30 times from
outranking an article about the subject.
"""

from whoosh import scoring


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
    def __init__(self, k1=1.2):
        self.k1 = k1

    def scorer(self, searcher, fieldname, text, qf=1):
        # Field boosts are already in the posting weights; qf carries the query's boost.
        return SaturatedScorer(self.idf(searcher, fieldname, text), self.k1, qf)
