"""Evaluating a haystack query tree on the local index: match sets read straight from posting blocks.

The tree is the one every backend receives (``parse.matching_sq`` plus the
request's filters): ``SQ`` nodes (AND, OR, negated) over (field, lookup,
value) leaves. Here it is evaluated as Python sets of docnums, without Whoosh
query objects: Whoosh's matcher tree advances one posting at a time through
several layers of Python calls, which profiling put at 90 % of a common
word's query over 20,000 articles. A literal is the documents holding its
bigrams at consecutive positions, decoded only for the documents still in
question; filters on kind, column, page and dates read the per-searcher
sortable columns (one list lookup per candidate) instead of walking whole
posting lists.

Posting blocks are read through ``articles.search.whoosh_blocks``;
``tests/search/test_search_docsets.py`` checks every answer against Whoosh's own.
"""

import threading
import weakref
from array import array
from datetime import date, datetime, time

from haystack.constants import FILTER_SEPARATOR
from haystack.inputs import BaseInput

from ..index.analysis import bigrams, fold
from ..index.documents import ORDER_DAY
from ..index.schema import LITERAL_FIELDS
from ..whoosh_blocks import blocks, leaf_matcher, read_column

# Each literal field -> its group's (bigram field, unigram field).
LITERAL = {name: pair for pair in LITERAL_FIELDS.values() for name in pair}
# Filters answered from sortable columns when a candidate set is known (their
# terms are the values as stored; column and people terms are folded).
COLUMN_FIELDS = {"kind", "page", "year", "month", "kind_exact", "column_exact"}
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


# Posting sets of the commonest terms, per reader: a common bigram (平湖, 发展)
# recurs in many different searches, and decoding its posting list is most of
# a broad search's cost. Kept as arrays (4 bytes a docnum), only for terms in
# at least COMMON_SHARE of the archive, at most COMMON_TERMS per reader.
COMMON_SHARE = 0.05
COMMON_TERMS = 64
_common = weakref.WeakKeyDictionary()
_common_lock = threading.Lock()


def term_docs(reader, fieldname, text):
    """Docnums (across segments) of the live documents containing the term."""
    key = (fieldname, text)
    with _common_lock:
        cache = _common.setdefault(reader, {})
        cached = cache.get(key)
        if cached is not None:
            cache[key] = cache.pop(key)  # most recently used last
    if cached is not None:
        return set(cached)
    found = _read_term_docs(reader, fieldname, text)
    if len(found) >= COMMON_SHARE * reader.doc_count_all():
        with _common_lock:
            cache[key] = array("I", found)
            while len(cache) > COMMON_TERMS:
                del cache[next(iter(cache))]
    return found


def forget_common_terms():
    """Drop cached posting sets (the benchmark times searches with nothing cached)."""
    with _common_lock:
        _common.clear()


def _read_term_docs(reader, fieldname, text):
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


def _blocks_among(reader, fieldname, text, docnums, need_weights=False):
    """(offset, wanted, deleted, ids, weights) for the term's posting blocks that may hold one of ``docnums``.

    ``wanted`` is the segment's share of ``docnums``, segment-local like ``ids``.
    """
    for leaf, offset, matcher, deleted in _term_leaves(reader, fieldname, text):
        end = offset + leaf.doc_count_all()
        local = sorted(d - offset for d in docnums if offset <= d < end)
        if not local:
            continue
        wanted = set(local)
        for ids, weights, _ in blocks(matcher, local, need_weights=need_weights):
            yield offset, wanted, deleted, ids, weights


def term_docs_among(reader, fieldname, text, among):
    """The docnums of ``among`` holding the term; only posting blocks that may hold one of them are read."""
    found = set()
    for offset, wanted, deleted, ids, _ in _blocks_among(reader, fieldname, text, among):
        found.update(offset + d for d in ids if d in wanted and d not in deleted)
    return found


def term_weights(reader, fieldname, text, within):
    """{docnum: posting weight} of the term, for the docnums in ``within`` only."""
    found = {}
    for offset, wanted, _, ids, weights in _blocks_among(reader, fieldname, text, within, need_weights=True):
        for i, d in enumerate(ids):
            if d in wanted:
                found[offset + d] = weights[i]
    return found


def literal_docs(reader, fieldname, grams, within=None):
    """Docnums where the bigrams ``grams`` of field ``fieldname`` sit at consecutive positions.

    Candidates are the documents holding every bigram (intersected rarest
    first, optionally only within ``within``); positions are then decoded
    for the candidates alone, block by block.
    """
    grams = list(grams)
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

def literal_set(reader, fieldname, text, within=None):
    """Docnums whose field group of ``fieldname`` holds ``text`` literally (after folding)."""
    bigram_field, unigram_field = LITERAL[fieldname]
    text = fold(text)
    if not text:
        return set()
    if len(text) <= 2:
        docs = term_docs(reader, unigram_field if len(text) == 1 else bigram_field, text)
        return docs & within if within is not None else docs
    return literal_docs(reader, bigram_field, bigrams(text), within)


_columns = weakref.WeakKeyDictionary()
_columns_lock = threading.Lock()


def column(s, name):
    """All values of a sortable column of searcher ``s``, by docnum; read once per searcher."""
    with _columns_lock:
        cached = _columns.setdefault(s, {})
        if name not in cached:
            cached[name] = read_column(s.reader(), name)
        return cached[name]


def live_docs(s):
    return set(s.reader().all_doc_ids())


def evaluate(s, node, within=None):
    """Docnums of searcher ``s`` matching tree ``node`` (an SQ, or one (expression, value) leaf).

    With ``within``, only docnums in it are answered (and only they are checked).
    An empty tree matches every document.
    """
    if isinstance(node, tuple):
        return _leaf(s, node, within)
    if node.negated:
        base = set(within) if within is not None else live_docs(s)
        return base - _node(s, node, base) if base else base
    return _node(s, node, within)


def _node(s, node, within):
    children = node.children
    if not children:
        return set(within) if within is not None else live_docs(s)
    if node.connector == "OR":
        found = set()
        for child in _without_implied(children):
            found |= evaluate(s, child, within)
        return found
    # The cheapest, most selective parts first narrow what the others check;
    # negations and column filters then only look at the survivors.
    found = within
    for child in sorted(children, key=_cost):
        found = evaluate(s, child, found)
        if not found:
            return set()
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
            values = column(s, field)
            return {d for d in within if values[d] == text}
        # The value's terms as the field indexes them (a name list, a folded value).
        terms = list(reader.schema[field].process_text(text, mode="query"))
        found = within if terms else set()
        for term in terms:
            docs = term_docs(reader, field, term)
            found = docs if found is None else found & docs
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
    order = column(s, "order")
    candidates = within if within is not None else live_docs(s)
    # Undated articles (day 0 in their order number) never pass a date filter.
    return {d for d in candidates if low <= order[d] // ORDER_DAY <= high}


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


def literal_tree(node):
    """``node`` with each fuzzy term's scattered words dropped, so only its whole literal is left.

    It finds, among the matches, the articles holding every typed term as
    written (ranked first); None when the tree has no scattered words, so
    every match holds the terms as written.
    """
    tree, changed = _literal_only(node)
    return tree if changed else None


def _literal_only(node):
    if isinstance(node, tuple):
        return node, False
    children = node.children
    changed = False
    if node.connector == "OR":
        kept = [c for c in children if not any(other is not c and _implied(other, c) for other in children)]
        changed, children = len(kept) != len(children), kept
    rebuilt = []
    for child in children:
        child, child_changed = _literal_only(child)
        rebuilt.append(child)
        changed = changed or child_changed
    return type(node)._new_instance(rebuilt, node.connector, node.negated), changed
