"""Posting formats that index straight from the text, skipping Whoosh's token stream.

Indexing time is dominated by per-posting work in pure Python; for the
n-gram fields the generic path (a Token object per character, then a dict per
field) is pure overhead. These formats compute exactly what Whoosh's
``Positions``/``Frequency`` would from our Bigram/Unigram tokenizers (same
terms, positions, weights, encoding), so the index reads the same; the
analyzer stays on the field for anything that analyzes at query time.
"""

from collections import Counter

from whoosh import formats
from whoosh.system import pack_uint

from .analysis import PART_GAP, PART_SEPARATOR, fold


class BigramPositions(formats.Positions):
    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        positions = {}
        base = 0
        for part in value.split(PART_SEPARATOR):
            folded = fold(part)
            for i in range(len(folded) - 1):
                gram = folded[i:i + 2]
                found = positions.get(gram)
                if found is None:
                    positions[gram] = [base + i]
                else:
                    found.append(base + i)
            base += len(folded) + PART_GAP
        encode = self.encode
        for gram, poslist in positions.items():
            yield gram, len(poslist), len(poslist) * fb, encode(poslist)


class UnigramFrequency(formats.Frequency):
    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        counts = Counter(fold(value.replace(PART_SEPARATOR, "")))
        return ((char, n, n * fb, pack_uint(n)) for char, n in counts.items())
