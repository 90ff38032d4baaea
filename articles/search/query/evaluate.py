"""Match sets and term weights read straight from posting blocks.

Whoosh's matcher tree advances one posting at a time through several layers
of Python calls (``id()``, ``next()``, ``skip_to()``, union and intersection
wrappers). Profiling a common word over 20,000 articles put 90 % of a query
in that machinery. A results page needs only sets: which articles match
(count, facets, date sorts) and, for at most ``SCORE_LIMIT`` of them, their
term weights. So this module evaluates the query objects built by
``parse.py`` (Term, Literal, And, Or, AndNot) as Python sets, reading each
posting list a block at a time, and reads positions or weights only for the
documents still in question.

Posting blocks are read through ``articles.search.whoosh_blocks``; any query
type not handled here goes through ``Searcher.docs_for_query``, so the answer
is always Whoosh's.
"""

from whoosh import matching
from whoosh import query as wq

from ..whoosh_blocks import blocks, leaf_matcher


class Literal(wq.Phrase):
    """Documents where ``words`` (bigrams) occur at consecutive positions.

    Whoosh's Phrase builds Span objects for every candidate document;
    profiling a common phrase showed that machinery, not reading the index,
    as ~90 % of the query. A literal is simpler than a general phrase:
    bigram k must sit exactly k positions after bigram 0. ``literal_docs``
    does that check from posting blocks; this class makes it a Whoosh query,
    so Whoosh's own searcher (and anything built on it) gets the same answer.
    """

    def matcher(self, searcher, context=None):
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        found = sorted(literal_docs(searcher.reader(), self))
        if not found:
            return matching.NullMatcher()
        return matching.ListMatcher(found, all_weights=self.boost)


def _btext(reader, fieldname, text):
    return reader.schema[fieldname].to_bytes(text) if isinstance(text, str) else text


def _term_leaves(reader, fieldname, text):
    """(leaf, docnum offset, raw matcher, deleted docnums) of each segment holding the term."""
    btext = None
    for leaf, offset in reader.leaf_readers():
        btext = btext or _btext(leaf, fieldname, text)
        matcher, deleted = leaf_matcher(leaf, fieldname, btext)
        if matcher is not None:
            yield leaf, offset, matcher, deleted


def term_docs(reader, fieldname, text):
    """Docnums (across segments) of the live documents containing the term."""
    found = set()
    for _, offset, matcher, deleted in _term_leaves(reader, fieldname, text):
        for ids, _, _ in blocks(matcher):
            if offset:
                found.update(offset + d for d in ids if d not in deleted)
            elif deleted:
                found.update(d for d in ids if d not in deleted)
            else:
                found.update(ids)
    return found


# Candidates fewer than 1/SPARSE_FRACTION of the index are checked block by
# block (term_docs_among); more, and reading the whole list is cheaper.
SPARSE_FRACTION = 8


def term_docs_among(reader, fieldname, text, among):
    """The docnums of ``among`` holding the term; only posting blocks that may hold one of them are read."""
    found = set()
    for leaf, offset, matcher, deleted in _term_leaves(reader, fieldname, text):
        end = offset + leaf.doc_count_all()
        local = sorted(d - offset for d in among if offset <= d < end)
        if not local:
            continue
        wanted = set(local)
        for ids, _, _ in blocks(matcher, local):
            found.update(offset + d for d in ids if d in wanted and d not in deleted)
    return found


def term_weights(reader, fieldname, text, within):
    """{docnum: posting weight} of the term, for the docnums in ``within`` only."""
    found = {}
    for leaf, offset, matcher, _ in _term_leaves(reader, fieldname, text):
        end = offset + leaf.doc_count_all()
        local = sorted(d - offset for d in within if offset <= d < end)
        if not local:
            continue
        wanted = set(local)
        for ids, weights, _ in blocks(matcher, local, need_weights=True):
            for i, d in enumerate(ids):
                if d in wanted:
                    found[offset + d] = weights[i]
    return found


def literal_docs(reader, literal, within=None):
    """Docnums where the Literal's bigrams sit at consecutive positions.

    Candidates are the documents holding every bigram (intersected rarest
    first, optionally only within ``within``); positions are then decoded
    for the candidates alone, block by block.
    """
    fieldname = literal.fieldname
    grams = list(literal.words)
    # Bigram k must start k positions after bigram 0; the bigrams at even
    # offsets plus the last one pin every character of the literal.
    cover = sorted(set(range(0, len(grams), 2)) | {len(grams) - 1})
    offsets = {}
    for k in cover:
        offsets.setdefault(grams[k], []).append(k)
    by_rarity = sorted(set(grams), key=lambda g: reader.doc_frequency(fieldname, g))
    candidates = set(within) if within is not None else None
    sparse = reader.doc_count_all() // SPARSE_FRACTION
    for gram in by_rarity:
        if candidates is None:
            candidates = term_docs(reader, fieldname, gram)
        elif len(candidates) <= sparse:
            # Few candidates left: read only the posting blocks that may hold
            # them. A long literal of common text then costs about its rarest
            # bigrams, not every bigram's whole list.
            candidates = term_docs_among(reader, fieldname, gram, candidates)
        else:
            candidates &= term_docs(reader, fieldname, gram)
        if not candidates:
            return set()
    decode = reader.schema[fieldname].format.decode_positions
    # Per candidate: the start positions still possible (None: not yet known).
    starts = dict.fromkeys(candidates)
    for gram in sorted(offsets, key=by_rarity.index):
        shifts = offsets[gram]
        # The starts a posting value allows, by value: postings of a common
        # bigram often repeat a short position list.
        allowed = {}
        for leaf, offset, matcher, _ in _term_leaves(reader, fieldname, gram):
            end = offset + leaf.doc_count_all()
            local = sorted(d - offset for d in starts if offset <= d < end)
            if not local:
                continue
            for ids, _, values in blocks(matcher, local, need_values=True):
                for i, d in enumerate(ids):
                    doc = offset + d
                    possible = starts.get(doc, _GONE)
                    if possible is _GONE:
                        continue
                    value = values[i]
                    here = allowed.get(value)
                    if here is None:
                        positions = decode(value)
                        if len(shifts) == 1:
                            k = shifts[0]
                            here = {p - k for p in positions} if k else set(positions)
                        else:
                            here = set.intersection(*({p - k for p in positions} for k in shifts))
                        allowed[value] = here
                    possible = here if possible is None else possible & here
                    if possible:
                        starts[doc] = possible
                    else:
                        del starts[doc]
    return set(starts)


_GONE = object()


def evaluate(searcher, q, within=None):
    """The set of docnums matching query ``q`` (optionally only those in ``within``)."""
    reader = searcher.reader()
    if isinstance(q, Literal):
        return literal_docs(reader, q, within)
    if isinstance(q, wq.Term):
        docs = term_docs(reader, q.fieldname, q.text)
        return docs & within if within is not None else docs
    if isinstance(q, wq.And):
        # The most selective part first narrows what the others must check.
        parts = sorted(q.subqueries, key=lambda sub: 0 if isinstance(sub, wq.Term) else 1)
        found = within
        for sub in parts:
            found = evaluate(searcher, sub, found)
            if not found:
                return set()
        return found
    if isinstance(q, wq.Or):
        found = set()
        for sub in q.subqueries:
            found |= evaluate(searcher, sub, within)
        return found
    if isinstance(q, wq.AndNot):
        found = evaluate(searcher, q.a, within)
        return found - evaluate(searcher, q.b, found) if found else found
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
        return set()
    docs = set(searcher.docs_for_query(q))
    return docs & within if within is not None else docs


def scores(searcher, q, within):
    """{docnum: score} for the docnums in ``within``, summed as Whoosh's Or and AndMaybe sum them.

    A term scores through the searcher's weighting model from its posting
    weight; a Literal adds its boost (Whoosh's ListMatcher without a scorer
    does the same). Documents no part matches are absent.
    """
    found = {}
    _add_scores(searcher, q, within, found)
    return found


def _add_scores(searcher, q, within, found):
    if not within:
        return
    if isinstance(q, Literal):
        for doc in literal_docs(searcher.reader(), q, within):
            found[doc] = found.get(doc, 0.0) + q.boost
    elif isinstance(q, wq.Term):
        scorer = searcher.weighting.scorer(searcher, q.fieldname, q.text, qf=q.boost)
        for doc, weight in term_weights(searcher.reader(), q.fieldname, q.text, within).items():
            found[doc] = found.get(doc, 0.0) + scorer.score_weight(weight)
    elif isinstance(q, wq.Or):
        for sub in q.subqueries:
            _add_scores(searcher, sub, within, found)
    elif isinstance(q, wq.AndMaybe):
        required = {}
        _add_scores(searcher, q.a, within, required)
        _add_scores(searcher, q.b, set(required), required)
        for doc, score in required.items():
            found[doc] = found.get(doc, 0.0) + score
    else:
        for hit in searcher.search(q, filter=within, limit=None, terms=False):
            found[hit.docnum] = found.get(hit.docnum, 0.0) + hit.score
