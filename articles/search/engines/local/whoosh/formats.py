"""Posting formats that index straight from the text, skipping Whoosh's token stream.

Indexing time is dominated by per-posting work in pure Python; for the
n-gram fields the generic path (a Token object per character, then a dict per
field) is pure overhead. These formats compute exactly what Whoosh's
``Positions``/``Frequency`` would from our Bigram/Unigram tokenizers (same
terms, positions, weights), so the index reads the same; the analyzer stays
on the field for anything that analyzes at query time.

Besides Whoosh's ``word_values`` they offer ``invert``, which adds a
document's postings straight into our writer's buffer
(``articles.search.engines.local.writer.PostingBuffer``), skipping a tuple per posting.
Both count n-grams with C-level calls (``Counter``, ``dict(zip(...))``) and
only walk the text again, with ``str.find``, for the few bigrams that occur
more than once.

Position lists are stored as their deltas taken as code points, UTF-8
encoded: one byte for a delta under 128, two under 2048. Whoosh's own
encoding pickles every list, which cost more than building it and made the
values several times larger. An index of an earlier release that still holds
pickled lists is rebuilt by ``bin/run`` before anything reads it (the index
stamp, ``store.WRITTEN_WITH``).
"""

from collections import Counter
from itertools import accumulate
from operator import add, sub

from whoosh import formats

from whoosh.system import pack_uint
from articles.search.text import PART_GAP, PART_SEPARATOR, fold

# Parts of a document are laid out PART_GAP positions apart; filling the gap
# with separators gives every character its position as its string index.
# Bigrams touching the fill are dropped (see _bigram_counts).
_FILL = PART_SEPARATOR * PART_GAP


def encode_positions(poslist):
    """Ascending positions -> bytes (see the module docstring)."""
    if len(poslist) == 1:
        return chr(poslist[0]).encode("utf-8", "surrogatepass")
    return "".join(map(chr, map(sub, poslist, [0, *poslist]))).encode("utf-8", "surrogatepass")


# Encoded one-position lists, shared by every posting with that position
# (most bigram postings have one): no bytes object per posting. Positions
# past the table (articles over ~8,000 characters) are encoded as they come.
_SINGLES = 1 << 13
_SINGLE = [encode_positions([p]) for p in range(_SINGLES)]
# Encoded small frequencies for the unigram fields, shared the same way.
_FREQ = [pack_uint(n) for n in range(256)]


def _bigram_counts(value):
    """(laid-out text, {bigram: count}, {bigram: its last position})."""
    folded = fold(value)
    text = folded.replace(PART_SEPARATOR, _FILL)
    grams = list(map(add, text, text[1:]))
    counts = Counter(grams)
    last = dict(zip(grams, range(len(grams))))
    if PART_SEPARATOR in folded:
        parts = folded.split(PART_SEPARATOR)
        counts.pop(PART_SEPARATOR * 2, None)
        for part in parts:
            if part:
                counts.pop(PART_SEPARATOR + part[0], None)
                counts.pop(part[-1] + PART_SEPARATOR, None)
    return text, counts, last


def _positions(text, gram, count):
    p = text.find(gram)
    found = [p]
    for _ in range(count - 1):
        p = text.find(gram, p + 1)
        found.append(p)
    return found


class BigramPositions(formats.Positions):
    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        text, counts, last = _bigram_counts(value)
        single, singles = _SINGLE, _SINGLES
        for gram, n in counts.items():
            if n == 1:
                p = last[gram]
                yield gram, 1, fb, single[p] if p < singles else encode_positions([p])
            else:
                yield gram, n, n * fb, encode_positions(_positions(text, gram, n))

    def invert(self, value, docnum, terms, boost=1.0):
        """Add the document's postings to ``terms`` ({term: [docnum, weight, value, ...]}).

        Returns (field length, number of postings).
        """
        fb = self.field_boost * boost
        text, counts, last = _bigram_counts(value)
        single, singles = _SINGLE, _SINGLES
        get = terms.get
        for gram, n in counts.items():
            if n == 1:
                p = last[gram]
                posting = (docnum, fb, single[p] if p < singles else encode_positions([p]))
            else:
                posting = (docnum, n * fb, encode_positions(_positions(text, gram, n)))
            entry = get(gram)
            if entry is None:
                terms[gram] = list(posting)
            else:
                entry.extend(posting)
        return sum(counts.values()), len(counts)

    def encode(self, poslist):
        return encode_positions(poslist)

    def decode_positions(self, valuestring):
        return list(accumulate(map(ord, valuestring.decode("utf-8", "surrogatepass"))))

    def decode_frequency(self, valuestring):
        return len(valuestring.decode("utf-8", "surrogatepass"))


class UnigramFrequency(formats.Frequency):
    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        counts = Counter(fold(value.replace(PART_SEPARATOR, "")))
        return ((char, n, n * fb, pack_uint(n)) for char, n in counts.items())

    def invert(self, value, docnum, terms, boost=1.0):
        """As BigramPositions.invert."""
        fb = self.field_boost * boost
        counts = Counter(fold(value.replace(PART_SEPARATOR, "")))
        freq = _FREQ
        get = terms.get
        for char, n in counts.items():
            posting = (docnum, fb, freq[1]) if n == 1 else (docnum, n * fb, freq[n] if n < 256 else pack_uint(n))
            entry = get(char)
            if entry is None:
                terms[char] = list(posting)
            else:
                entry.extend(posting)
        return sum(counts.values()), len(counts)
