"""A literal (n-gram phrase) query that checks positions directly.

Whoosh's Phrase builds Span objects for every candidate document; profiling a
common phrase showed that machinery, not reading the index, as ~90 % of the
query. A literal is simpler than a general phrase: bigram k must sit exactly
k positions after bigram 0. So: intersect the documents of all bigrams
(rarest first), then, per candidate, intersect position sets shifted by k.
"""

from whoosh import matching
from whoosh import query as wq


class Literal(wq.Phrase):
    """Documents where ``words`` (bigrams) occur at consecutive positions."""

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        reader = searcher.reader()
        grams = [g.encode("utf-8") for g in self.words]
        for gram in grams:
            if (fieldname, gram) not in reader:
                return matching.NullMatcher()
        # Positions are per character, so bigrams at offsets 0, 2, 4, ... and
        # the last one pin every character: checking those is enough.
        cover = sorted(set(range(0, len(grams), 2)) | {len(grams) - 1})
        offsets = {}
        for k in cover:
            offsets.setdefault(grams[k], []).append(k)
        by_rarity = sorted(set(grams), key=lambda g: reader.doc_frequency(fieldname, g))
        candidates = None
        for gram in by_rarity:
            ids = set(reader.postings(fieldname, gram).all_ids())
            candidates = ids if candidates is None else candidates & ids
            if not candidates:
                return matching.NullMatcher()
        candidates = sorted(candidates)
        fmt = searcher.schema[fieldname].format
        starts = {doc: None for doc in candidates}
        for gram in sorted(offsets, key=by_rarity.index):
            postings = reader.postings(fieldname, gram)
            for doc in candidates:
                possible = starts.get(doc, ())
                if possible == ():
                    continue  # already ruled out
                postings.skip_to(doc)
                here = fmt.decode_positions(postings.value())
                for k in offsets[gram]:
                    shifted = {p - k for p in here}
                    possible = shifted if possible is None else possible & shifted
                if possible:
                    starts[doc] = possible
                else:
                    del starts[doc]
        found = [doc for doc in candidates if doc in starts]
        if not found:
            return matching.NullMatcher()
        return matching.ListMatcher(found, all_weights=self.boost)
