"""A literal (n-gram phrase) query that checks positions directly.

Whoosh's Phrase builds Span objects for every candidate document; profiling a
common phrase showed that machinery, not reading the index, as ~90 % of the
query. A literal is simpler than a general phrase: bigram k must sit exactly
k positions after bigram 0. ``docsets.literal_docs`` does that check from
posting blocks; this class makes it a Whoosh query, so Whoosh's own searcher
(and anything built on it) gets the same answer.
"""

from whoosh import matching
from whoosh import query as wq


class Literal(wq.Phrase):
    """Documents where ``words`` (bigrams) occur at consecutive positions."""

    def matcher(self, searcher, context=None):
        from .docsets import literal_docs  # docsets evaluates Literal itself

        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        found = sorted(literal_docs(searcher.reader(), self))
        if not found:
            return matching.NullMatcher()
        return matching.ListMatcher(found, all_weights=self.boost)
