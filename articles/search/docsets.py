"""Match sets and term weights read straight from posting blocks.

Whoosh's matcher tree advances one posting at a time through several layers
of Python calls (``id()``, ``next()``, ``skip_to()``, union and intersection
wrappers). Profiling a common word over 20,000 articles put 90 % of a query
in that machinery. A results page needs only sets: which articles match
(count, facets, date sorts) and, for at most ``SCORE_LIMIT`` of them, their
term weights. So this module evaluates the query objects built by
``query.py`` (Term, Literal, And, Or, AndNot) as Python sets, reading each
posting list a block at a time, and reads positions or weights only for the
documents still in question.

It reads Whoosh 2.7's block matcher (``W3LeafMatcher``) through its block
attributes; Whoosh is pinned and 2.7.4 is its final release. Any other matcher
(inlined posting lists, an unknown codec) goes through the public matcher API,
and any query type not handled here through ``Searcher.docs_for_query``, so
the answer is always Whoosh's.
"""

from bisect import bisect_left

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

from .phrase import Literal


def _leaf_matcher(leaf, fieldname, btext):
    """(raw matcher, deleted docnums) of one term in one segment, or (None, ())."""
    if (fieldname, btext) not in leaf:
        return None, ()
    matcher = leaf.postings(fieldname, btext)
    deleted = ()
    if isinstance(matcher, FilterMatcher):
        # The segment has deletions; read the raw list and drop them ourselves.
        deleted = matcher._ids
        matcher = matcher.child
        matcher.reset()
    return matcher, deleted


def _blocks(matcher, wanted=None, need_weights=False, need_values=False):
    """Yield (ids, weights, values) per block; ``wanted`` (sorted docnums) skips blocks without them."""
    if isinstance(matcher, W3LeafMatcher):
        low = 0
        while matcher.is_active():
            high = matcher._maxid
            if wanted is None or _any_between(wanted, low, high):
                if matcher._ids is None:
                    matcher._read_ids()
                if need_weights and matcher._weights is None:
                    matcher._read_weights()
                if need_values and matcher._values is None:
                    matcher._read_values()
                yield matcher._ids, matcher._weights, matcher._values
            low = high + 1
            matcher._next_block()
        return
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        if need_weights:
            weights.append(matcher.weight())
        if need_values:
            values.append(matcher.value())
        matcher.next()
    yield ids, weights, values


def _any_between(ordered, low, high):
    i = bisect_left(ordered, low)
    return i < len(ordered) and ordered[i] <= high


def _btext(reader, fieldname, text):
    return reader.schema[fieldname].to_bytes(text) if isinstance(text, str) else text


def _term_leaves(reader, fieldname, text):
    """(leaf, docnum offset, raw matcher, deleted docnums) of each segment holding the term."""
    btext = None
    for leaf, offset in reader.leaf_readers():
        btext = btext or _btext(leaf, fieldname, text)
        matcher, deleted = _leaf_matcher(leaf, fieldname, btext)
        if matcher is not None:
            yield leaf, offset, matcher, deleted


def term_docs(reader, fieldname, text):
    """Docnums (across segments) of the live documents containing the term."""
    found = set()
    for _, offset, matcher, deleted in _term_leaves(reader, fieldname, text):
        for ids, _, _ in _blocks(matcher):
            if offset:
                found.update(offset + d for d in ids if d not in deleted)
            elif deleted:
                found.update(d for d in ids if d not in deleted)
            else:
                found.update(ids)
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
        for ids, weights, _ in _blocks(matcher, local, need_weights=True):
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
    for gram in by_rarity:
        docs = term_docs(reader, fieldname, gram)
        candidates = docs if candidates is None else candidates & docs
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
            for ids, _, values in _blocks(matcher, local, need_values=True):
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
