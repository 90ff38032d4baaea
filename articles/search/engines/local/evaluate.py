"""Evaluating a haystack query tree on the local index: match sets read straight from posting blocks.

The tree is the one every backend receives (``querylang.Plan.matching`` plus
the request's filters, or any tree built with SearchQuerySet's methods): ``SQ`` nodes (AND, OR, negated) over (field, lookup,
value) leaves. Here it is evaluated as match sets (``matchsets.py``: sorted
numpy arrays of docnums), without Whoosh query objects: Whoosh's matcher
tree advances one posting at a time through several layers of Python calls,
which profiling put at 90 % of a common word's query over 20,000 articles.
A literal is the documents holding its bigrams at consecutive positions,
decoded only for the documents still in question; filters on kind, column,
page and dates index the per-searcher column arrays (``columns.py``) at the
candidates instead of walking whole posting lists.

Posting blocks are read through ``whoosh/postings.py``;
``tests/search/test_search_docsets.py`` checks every answer against Whoosh's own.
"""

import threading
import weakref
from datetime import date, datetime, time

import numpy as np
from haystack.constants import FILTER_SEPARATOR
from haystack.inputs import BaseInput

from articles.search.text import bigrams, fold
from articles.search.documents import LITERAL_FIELDS, SEARCH_FIELDS
from articles.search.engines.local.whoosh.postings import leaf_matcher, postings
from articles.search.engines.local import columns, matchsets
from articles.search.engines.local.matchsets import EMPTY, as_docs, intersect, subtract, union

# Each literal field -> its group's (bigram field, unigram field).
LITERAL = {name: pair for pair in LITERAL_FIELDS.values() for name in pair}
# Filters answered from sortable columns when a candidate set is known (their
# terms are the values as stored; column and people terms are folded).
COLUMN_FIELDS = ({"kind", "year", "month", "kind_exact"}
                 | {f.keyword for f in SEARCH_FIELDS.values() if f.keyword and not (f.folded or f.several)}
                 | {f"{f.keyword}_exact" for f in SEARCH_FIELDS.values() if f.facet})
_LITERAL_LOOKUPS = {"content", "contains", "exact"}
_DATE_LOOKUPS = {"gte", "lte", "range"}


class UnsupportedQuery(ValueError):
    """A tree the local engine does not evaluate (a lookup or field it has no rule for)."""


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


def _alive(ids, deleted):
    """Which of segment-local ``ids`` are not deleted (a boolean array), or None if all are."""
    if not deleted:
        return None
    return ~matchsets.contains(as_docs(deleted), ids)


# Posting sets of the commonest terms, per reader: a common bigram (平湖, 发展)
# recurs in many different searches, and decoding its posting list is most of
# a broad search's cost. Kept as bitmaps (one bit per document: 37.5 KB at
# 300,000 articles), only for terms in at least COMMON_SHARE of the archive,
# at most COMMON_TERMS per reader.
COMMON_SHARE = 0.05
COMMON_TERMS = 64
_common = weakref.WeakKeyDictionary()
_common_lock = threading.Lock()


def term_docs(reader, fieldname, text):
    """The match set (across segments) of the live documents containing the term."""
    key = (fieldname, text)
    size = reader.doc_count_all()
    with _common_lock:
        cache = _common.setdefault(reader, {})
        cached = cache.get(key)
        if cached is not None:
            cache[key] = cache.pop(key)  # most recently used last
    if cached is not None:
        return matchsets.frozen(matchsets.unpack(cached, size))
    found = _read_term_docs(reader, fieldname, text)
    if len(found) >= COMMON_SHARE * size:
        with _common_lock:
            cache[key] = matchsets.pack(found, size)
            while len(cache) > COMMON_TERMS:
                del cache[next(iter(cache))]
    return found


def forget_common_terms():
    """Drop cached posting sets (the benchmark times searches with nothing cached)."""
    with _common_lock:
        _common.clear()


def _read_term_docs(reader, fieldname, text):
    parts = []
    for _, offset, matcher, deleted in _term_leaves(reader, fieldname, text):
        ids = postings(matcher)[0]
        alive = _alive(ids, deleted)
        parts.append((ids if alive is None else ids[alive]) + offset)
    # Segments hold consecutive docnum ranges, in order.
    return matchsets.frozen(np.concatenate(parts).astype(matchsets.DOCNUM, copy=False)) if parts else EMPTY


# Candidates fewer than 1/SPARSE_FRACTION of the index are checked block by
# block (term_docs_among); more, and reading the whole list is cheaper.
SPARSE_FRACTION = 8


def _among(reader, fieldname, text, docnums, need_weights=False, need_values=False, exact=True):
    """(docnums, weights, values) of the term's live postings at the asked ``docnums`` (a match set; None: all).

    Only the posting blocks that may hold one of the asked docnums are read.
    ``values`` is the pair ``whoosh.postings.postings`` gives (bytes joined, lengths).
    Not ``exact``: the blocks' other postings, deleted ones included, are
    left in, for a caller that intersects with live docnums anyway.
    """
    found_ids, found_weights, found_values = [], [], []
    for leaf, offset, matcher, deleted in _term_leaves(reader, fieldname, text):
        local = None
        if docnums is not None:
            low, high = np.searchsorted(docnums, (offset, offset + leaf.doc_count_all()))
            if low == high:
                continue
            local = docnums[low:high] - offset
        ids, weights, values = postings(matcher, local, need_weights, need_values)
        keep = _alive(ids, deleted) if exact else None
        if local is not None and exact:
            keep = matchsets.contains(local, ids) if keep is None else keep & matchsets.contains(local, ids)
        if keep is not None:
            ids = ids[keep]
            weights = weights[keep] if need_weights else None
            values = _kept_values(values, keep) if need_values else None
        found_ids.append(ids + offset if offset else ids)
        found_weights.append(weights)
        found_values.append(values)
    ids = np.concatenate(found_ids).astype(matchsets.DOCNUM, copy=False) if found_ids else EMPTY
    weights = (np.concatenate(found_weights) if found_weights else np.zeros(0, np.float32)) if need_weights else None
    values = None
    if need_values:
        values = (b"".join(data for data, _ in found_values),
                  np.concatenate([lengths for _, lengths in found_values]) if found_values else np.zeros(0, np.int64))
    return ids, weights, values


def _kept_values(values, keep):
    """The (bytes, lengths) values pair narrowed to the postings where boolean array ``keep`` is True."""
    data, lengths = values
    if keep.all():
        return values
    kept_bytes = np.frombuffer(data, np.uint8)[np.repeat(keep, lengths)]
    return kept_bytes.tobytes(), lengths[keep]


def term_docs_among(reader, fieldname, text, among):
    """The docnums of match set ``among`` holding the term; only posting blocks that may hold one of them are read."""
    return _among(reader, fieldname, text, as_docs(among))[0]


def term_weights(reader, fieldname, text, within):
    """(docnums, posting weights) of the term, for the docnums of match set ``within`` only (None: all)."""
    ids, weights, _ = _among(reader, fieldname, text, None if within is None else as_docs(within), need_weights=True)
    return ids, weights


# Start positions are keyed with their docnum as docnum * _POSITIONS + start.
_POSITIONS = 1 << 32


# A bigram between the pinned ones is read only to narrow the candidates
# first, when it is this many times rarer than the rarest pinned bigram.
NARROWING = 4


def literal_docs(reader, fieldname, grams, within=None):
    """The match set where the bigrams ``grams`` of field ``fieldname`` sit at consecutive positions.

    The bigrams at even offsets plus the last one pin every character of the
    literal; their positions are decoded, rarest first, into arrays of
    (docnum, start) keys that must be present for every one, and each one's
    posting list is read only for the documents still in question. Other
    bigrams only narrow the candidates beforehand, when they are much rarer.
    """
    grams = list(grams)
    cover = sorted(set(range(0, len(grams), 2)) | {len(grams) - 1})
    offsets = {}
    for k in cover:
        offsets.setdefault(grams[k], []).append(k)
    frequency = {gram: reader.doc_frequency(fieldname, gram) for gram in grams}
    rarest = min(frequency[gram] for gram in offsets)
    narrowing = sorted((g for g in frequency if g not in offsets and frequency[g] * NARROWING < rarest),
                       key=frequency.get)
    candidates = as_docs(within) if within is not None else None
    sparse = reader.doc_count_all() // SPARSE_FRACTION
    for gram in narrowing:
        if candidates is None:
            candidates = term_docs(reader, fieldname, gram)
        elif len(candidates) <= sparse:
            # Few candidates left: read only the posting blocks that may hold them.
            candidates = term_docs_among(reader, fieldname, gram, candidates)
        else:
            candidates = intersect(candidates, term_docs(reader, fieldname, gram))
        if not len(candidates):
            return EMPTY
    starts = None  # ascending (docnum, start) keys still possible
    for gram in sorted(offsets, key=frequency.get):
        # Only the first gram's postings are narrowed to live candidates; the
        # others' keys are intersected with the ones it left.
        ids, _, values = _among(reader, fieldname, gram, candidates, need_values=True, exact=starts is None)
        docs, positions = _positions(ids, values)
        for k in offsets[gram]:
            possible = positions >= k
            # Ascending: docnums ascend, and positions ascend within a posting.
            keys = docs[possible] * _POSITIONS + (positions[possible] - k)
            starts = keys if starts is None else _common_keys(starts, keys)
        if not len(starts):
            return EMPTY
        held = starts // _POSITIONS
        candidates = held[np.append(True, held[1:] != held[:-1])].astype(matchsets.DOCNUM)
    return matchsets.frozen(candidates)


def _common_keys(a, b):
    """The keys of ascending, duplicate-free ``a`` that are also in ``b`` (a binary search each)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    return a[b[at] == a]


def _positions(ids, values):
    """(docnum, position) int64 arrays of every position in posting ``values`` (bytes, lengths) of docnums ``ids``."""
    counts, positions = _joint_positions(*values)
    return np.repeat(ids.astype(np.int64), counts), positions


def _joint_positions(joined, lengths):
    """(positions per value, positions) of all values decoded at once.

    The values are ``joined`` end to end, ``lengths`` bytes each. Our
    positions are UTF-8 code-point deltas (whoosh/formats.py), each value
    well-formed on its own, so they are decoded together, in C. Values of
    another encoding (an index of an earlier release, which bin/run rebuilds
    before anything reads it) raise ValueError rather than being misread.
    """
    try:
        text = joined.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        text = None
    raw = np.frombuffer(joined, np.uint8)
    byte_starts = np.cumsum(lengths) - lengths
    # A code point starts at every byte that is not a continuation byte;
    # each value must start at one, so decoding them together splits as
    # decoding each on its own would.
    lead = (raw & 0xC0) != 0x80
    if text is None or not lead[byte_starts[lengths > 0]].all():
        raise ValueError("position values not written by this version's index writer (an index of an earlier "
                         "release): rebuild it with manage.py rebuild_index (bin/run does so on its own)")
    points_before = np.concatenate(([0], np.cumsum(lead)))
    starts = points_before[byte_starts]
    counts = np.diff(np.append(starts, len(text)))
    deltas = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), "<u4").astype(np.int64)
    # Positions restart from 0 in every value: a running sum, minus the sum
    # reached before the value began.
    running = np.cumsum(deltas)
    before = np.concatenate(([0], running))[starts]
    return counts, running - np.repeat(before, counts)


def literal_set(reader, fieldname, text, within=None):
    """Match set of the docnums whose field group of ``fieldname`` holds ``text`` literally (after folding)."""
    bigram_field, unigram_field = LITERAL[fieldname]
    text = fold(text)
    if not text:
        return EMPTY
    if len(text) <= 2:
        docs = term_docs(reader, unigram_field if len(text) == 1 else bigram_field, text)
        return intersect(docs, as_docs(within)) if within is not None else docs
    return literal_docs(reader, bigram_field, bigrams(text), within)


def evaluate(s, node, within=None):
    """The match set of searcher ``s`` for tree ``node`` (an SQ, or one (expression, value) leaf).

    With ``within`` (docnums, in any iterable), only docnums in it are
    answered (and only they are checked). An empty tree matches every document.
    """
    if within is not None:
        within = as_docs(within)
    if isinstance(node, tuple):
        return _leaf(s, node, within)
    if node.negated:
        base = within if within is not None else columns.live(s)
        return subtract(base, _node(s, node, base)) if len(base) else base
    return _node(s, node, within)


def _node(s, node, within):
    children = node.children
    if not children:
        return within if within is not None else columns.live(s)
    if node.connector == "OR":
        return union([evaluate(s, child, within) for child in _without_implied(children)])
    # The cheapest, most selective parts first narrow what the others check;
    # negations and column filters then only look at the survivors.
    found = within
    for child in sorted(children, key=_cost):
        found = evaluate(s, child, found)
        if not len(found):
            return EMPTY
    return found


def _parts(leaf):
    expression, value = leaf
    parts = expression.split(FILTER_SEPARATOR)
    lookup = parts.pop() if len(parts) > 1 else "content"
    field = parts[0]
    return ("text" if field == "content" else field), lookup, value


def _text(value):
    return str(value.query_string if isinstance(value, BaseInput) else value)


def _cost(child):
    if not isinstance(child, tuple):
        return 3 if child.negated else 1
    field, _, value = _parts(child)
    if field in LITERAL:
        return 0 if len(_text(value)) <= 2 else 1
    if field in COLUMN_FIELDS or field == "issue_date":
        return 2
    return 0


def _leaf(s, leaf, within):
    field, lookup, value = _parts(leaf)
    reader = s.reader()
    if field == "issue_date":
        return _dated(s, lookup, value, within)
    if field in LITERAL and lookup in _LITERAL_LOOKUPS:
        return literal_set(reader, field, _text(value), within)
    if field in reader.schema and lookup in ("content", "exact"):
        text = _text(value)
        if field in COLUMN_FIELDS and within is not None:
            values = columns.coded(s, field)
            return within[values.codes[within] == values.code(text)]
        # The value's terms as the field indexes them (a name list, a folded value).
        terms = list(reader.schema[field].process_text(text, mode="query"))
        found = within if terms else EMPTY
        for term in terms:
            docs = term_docs(reader, field, term)
            found = docs if found is None else intersect(found, docs)
        return found
    raise UnsupportedQuery(f"the local search engine has no rule for {field}{FILTER_SEPARATOR}{lookup}")


def _first_day(moment):
    """The first day whose issue (dated at midnight) is at or after ``moment``, a date or datetime."""
    if isinstance(moment, datetime) and moment.time() != time.min:
        return moment.toordinal() + 1
    return moment.toordinal()


def _dated(s, lookup, value, within):
    """Documents whose issue date is within ``lookup`` (gte, lte, range) of ``value``."""
    if lookup not in _DATE_LOOKUPS:
        raise UnsupportedQuery(f"the local search engine has no rule for issue_date{FILTER_SEPARATOR}{lookup}")
    first, last = value if lookup == "range" else (value, None) if lookup == "gte" else (None, value)
    low = _first_day(first) if first else 1
    high = last.toordinal() if last else date.max.toordinal()
    candidates = within if within is not None else columns.live(s)
    day = columns.days(s)[candidates]
    # Undated articles (day 0 in their order number) never pass a date filter.
    return candidates[(day >= low) & (day <= high)]


def _group(leaf):
    """(literal group's bigram field, text) of a plain literal leaf, or None."""
    if not isinstance(leaf, tuple):
        return None
    field, lookup, value = _parts(leaf)
    if field not in LITERAL or lookup not in _LITERAL_LOOKUPS:
        return None
    return LITERAL[field][0], fold(_text(value))


def _implied(leaf, node):
    """True if every document holding literal ``leaf`` also matches ``node``, an AND of literals in its group."""
    mine = _group(leaf)
    if mine is None or isinstance(node, tuple) or node.negated or node.connector != "AND" or not node.children:
        return False
    theirs = [_group(child) for child in node.children]
    return all(t is not None and t[0] == mine[0] and t[1] in mine[1] for t in theirs)


def _without_implied(children):
    """OR's children minus literals that another child already implies (a fuzzy term's whole literal)."""
    return [c for c in children if not any(other is not c and _implied(c, other) for other in children)]


def sought_literals(node):
    """The folded literals the positive leaves of tree ``node`` look for in text fields, in order.

    What ``highlight()`` marks for a tree built with SearchQuerySet's own
    methods (filter(content=...)); a query with a Plan marks ``Plan.marks``.
    """
    if isinstance(node, tuple):
        group = _group(node)
        return [group[1]] if group and group[1] else []
    if node.negated:
        return []
    return list(dict.fromkeys(text for child in node.children for text in sought_literals(child)))
