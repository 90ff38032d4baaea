"""Posting formats that index straight from the text, skipping Whoosh's token stream.

Indexing time is dominated by per-posting work in pure Python; for the
n-gram fields the generic path (a Token object per character, then a dict per
field) is pure overhead. These formats compute exactly what Whoosh's
``Positions``/``Frequency`` would from our Bigram/Unigram tokenizers (same
terms, positions, weights), so the index reads the same; the analyzer stays
on the field for anything that analyzes at query time.

Position lists are stored as their deltas taken as code points, UTF-8
encoded: one byte for a delta under 128, two under 2048. Whoosh's own
encoding pickles every list, which cost more than building it and made the
values several times larger. Values written by that old encoding always
carry a pickle header that is invalid UTF-8, so they are still decoded.
"""

from collections import Counter
from itertools import accumulate
from operator import sub

from whoosh import formats
from whoosh.system import pack_uint

from .analysis import PART_GAP, PART_SEPARATOR, fold


def encode_positions(poslist):
    """Ascending positions -> bytes (see the module docstring)."""
    if len(poslist) == 1:
        return chr(poslist[0]).encode("utf-8", "surrogatepass")
    return "".join(map(chr, map(sub, poslist, [0, *poslist]))).encode("utf-8", "surrogatepass")


class BigramPositions(formats.Positions):
    # The term of each posting is yielded as text, not bytes: the writer
    # (articles.search.writer) encodes each distinct term once per segment.
    text_terms = True

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
        for gram, poslist in positions.items():
            n = len(poslist)
            if n == 1:
                yield gram, 1, fb, chr(poslist[0]).encode("utf-8", "surrogatepass")
            else:
                yield gram, n, n * fb, encode_positions(poslist)

    def encode(self, poslist):
        return encode_positions(poslist)

    def decode_positions(self, valuestring):
        try:
            return list(accumulate(map(ord, valuestring.decode("utf-8", "surrogatepass"))))
        except UnicodeDecodeError:
            return super().decode_positions(valuestring)

    def decode_frequency(self, valuestring):
        try:
            return len(valuestring.decode("utf-8", "surrogatepass"))
        except UnicodeDecodeError:
            return super().decode_frequency(valuestring)


class UnigramFrequency(formats.Frequency):
    text_terms = True

    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        counts = Counter(fold(value.replace(PART_SEPARATOR, "")))
        return ((char, n, n * fb, pack_uint(n)) for char, n in counts.items())
