"""The reader's query language, parsed by hand into haystack's query tree.

Syntax a reader already knows: spaces mean AND, "quotes" make a phrase,
-word excludes, OR between two terms offers alternatives, and a field prefix
(篇名: 作者: 栏目: 版次:) limits one term to one field. Nothing the reader
types reaches a backend's query parser, so its syntax is just text and a
hostile query can at worst find nothing; problems come back as a
``QueryError`` whose message is shown to the reader.

Every term is a literal: "平湖生物" finds exactly the articles containing that
string. In fuzzy mode (the default) an unquoted term is also allowed to match
scattered: jieba splits it into words and each word must occur; articles
where the whole term occurs literally still rank first.

``matching_sq`` turns a parsed query into haystack's ``SQ`` tree of ``Exact``
values, the one form every backend receives: the local engine evaluates it
(``evaluate.py``), a cluster gets haystack's own translation of it. Every
literal is an exact (phrase) value, which our bigram fields and a cluster's
cjk_bigram analysis both answer as "this substring occurs"; a one-character
literal goes to the group's unigram field (``text_1`` ...).
"""

import re
from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import and_, or_

from django.conf import settings

from haystack.inputs import Exact
from haystack.query import SQ

from articles.search.text import bigrams, fold, words
from articles.search.documents import SEARCH_FIELDS


def max_query_chars():
    return settings.PHNEWS_SEARCH_MAX_QUERY_CHARS


def max_terms():
    return settings.PHNEWS_SEARCH_MAX_TERMS


# The search form's field menu and the query's prefixes, from the declared fields (documents.py).
FIELDS = {name: field.label for name, field in SEARCH_FIELDS.items()}
FIELD_PREFIXES = {prefix.lower(): name for name, field in SEARCH_FIELDS.items() for prefix in (name, *field.prefixes)}
MATCH_MODES = {"fuzzy": "模糊", "exact": "精确"}

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "＂": '"',
                         "\u3000": " ", "－": "-", "：": ":", "｜": "|"})
_TOKEN = re.compile(r'(-?)(?:([^\s"]+?)[:])?"([^"]*)(?:"|$)|(\S+)')


class QueryError(ValueError):
    """A query the reader must rephrase; ``str()`` is the message to show."""


@dataclass
class Term:
    text: str  # as typed, for display and article highlighting
    folded: str
    field: str = "any"
    phrase: bool = False

    @cached_property
    def fuzzy_words(self):
        return fuzzy_words(self.folded)


def fuzzy_words(folded):
    """jieba words of a folded term, for scattered matching and ranking.

    None past PHNEWS_SEARCH_MAX_FUZZY_WORDS: such a long term (a pasted
    sentence) is matched as written, each word would be one more literal
    to read for every article.
    """
    found = words(folded)
    return found if len(found) <= settings.PHNEWS_SEARCH_MAX_FUZZY_WORDS else []


@dataclass
class ParsedQuery:
    clauses: list = field(default_factory=list)  # AND of clauses; each clause an OR of Terms
    excluded: list = field(default_factory=list)
    raw: str = ""

    @property
    def positive_terms(self):
        return [term for clause in self.clauses for term in clause]


def _split_prefix(token):
    for sep in (":",):
        if sep in token:
            head, _, tail = token.partition(sep)
            if head.lower() in FIELD_PREFIXES and tail:
                return FIELD_PREFIXES[head.lower()], tail
    return None, token


def parse(raw, default_field="any"):
    """Parse the reader's query; raises QueryError with a message to show."""
    raw = (raw or "").strip()
    if len(raw) > max_query_chars():
        raise QueryError(f"检索词太长了（{len(raw)}字），请缩短到{max_query_chars()}字以内。")
    if default_field not in FIELDS:
        default_field = "any"
    text = raw.translate(_QUOTES)
    parsed = ParsedQuery(raw=raw)
    pending_or = False
    for match in _TOKEN.finditer(text):
        negate, prefix, quoted, bare = match.groups()
        if bare is not None:
            if bare in ("OR", "|"):
                pending_or = bool(parsed.clauses)
                continue
            if bare == "AND":
                continue
            negate = ""
            if bare.startswith("-") and len(bare) > 1:
                negate, bare = "-", bare[1:]
            field_name, value = _split_prefix(bare)
            phrase = False
        else:
            field_name = FIELD_PREFIXES.get((prefix or "").lower()) if prefix else None
            value, phrase = quoted, True
            if prefix and field_name is None:
                # "foo:"bar"" with an unknown prefix is just text.
                value = prefix + ":" + quoted
        field_name = field_name or default_field
        folded = fold(value)
        if not SEARCH_FIELDS[field_name].folded:
            folded = folded.upper()
        if not any(c.isalnum() for c in folded):
            # Lone quotes, dashes, punctuation: nothing a reader searches for.
            continue
        term = Term(text=value.strip(), folded=folded, field=field_name, phrase=phrase)
        if negate:
            parsed.excluded.append(term)
            pending_or = False
            continue
        if pending_or:
            parsed.clauses[-1].append(term)
        else:
            parsed.clauses.append([term])
        pending_or = False
    if len(parsed.positive_terms) + len(parsed.excluded) > max_terms():
        raise QueryError(f"检索词太多了，请不要超过{max_terms()}个。")
    if not parsed.clauses:
        if parsed.excluded:
            raise QueryError("请至少输入一个要查找的词（“-词”只用来排除）。")
        if raw:
            raise QueryError("检索词里没有可查找的文字或数字，请换个说法。")
    return parsed


@dataclass(frozen=True)
class Plan:
    """A reader's query compiled once: everything the engines and the results page need of it.

    It reaches a backend beside haystack's tree (``planned.py``):
    ``matching`` is what every backend evaluates (with the request's filters
    added by SearchQuerySet's own methods); the rest steers ranking and marks.
    """

    matching: SQ  # which articles match: haystack's tree of Exact values
    literal: SQ | None  # ``matching`` with each fuzzy term's scattered words dropped; None if no term has them
    ranked: tuple  # ((folded text, "any" or "headline"), ...): the typed terms that rank, in order
    marks: tuple  # folded strings to mark in titles, snippets and the article
    weight: int  # the index work it asks for (admission.py)


# Inside an exact phrase backends read other punctuation as text, but a quote
# ends the phrase and a backslash escapes; the pieces around them must each occur.
_PIECES = re.compile(r'["\\]+')


def _pieces(text):
    return [p for p in _PIECES.split(text) if p]


def literal_sq(group, text):
    """Articles whose ``group`` (bigram field, unigram field) holds ``text`` (folded) literally; None if nothing is left."""
    bigram_field, unigram_field = group
    leaves = [SQ(**{(unigram_field if len(p) == 1 else bigram_field): Exact(p)}) for p in _pieces(text)]
    return reduce(and_, leaves) if leaves else None


class _Compiling:
    """What compiling the terms of one query gathers besides its trees."""

    def __init__(self):
        self.ranked, self.marks, self.scattered = [], [], False

    def mark(self, *texts):
        for text in texts:
            if text and text not in self.marks:
                self.marks.append(text)


def _term(term, mode, gathered):
    """(matching tree, literal tree) of one positive term, or None; what it ranks and marks goes to ``gathered``."""
    field = SEARCH_FIELDS[term.field]
    if not field.group:
        node = SQ(**{field.keyword: Exact(field.whole(term.folded))})
        return node, node
    if mode == "exact" and field.keyword:
        gathered.mark(term.folded)
        node = SQ(**{field.keyword: Exact(term.folded)})
        return node, node
    group = field.group
    whole = literal_sq(group, term.folded)
    if whole is None:
        return None
    if field.ranked:
        gathered.ranked += [(piece, term.field) for piece in _pieces(term.folded)]
    gathered.mark(term.folded, *_pieces(term.folded))
    if mode == "exact" or term.phrase or len(term.folded) <= 2:
        return whole, whole
    words = [w for w in term.fuzzy_words if literal_sq(group, w) is not None]
    if len(words) <= 1:
        return whole, whole
    # Scattered words: each word must occur. The whole literal is implied by
    # its words (each is a substring of it), so it adds no match; it is there
    # for a backend's relevance, and the local engine skips evaluating it.
    for word in words:
        gathered.mark(*_pieces(word))
    gathered.scattered = True
    return whole | reduce(and_, [literal_sq(group, w) for w in words]), whole


def _exclusion(term):
    """The tree of an excluded term: always as written, "-平湖" drops every article containing 平湖.

    In a field with whole values (a person, a column) only that whole value is excluded.
    """
    field = SEARCH_FIELDS[term.field]
    if field.keyword:
        return SQ(**{field.keyword: Exact(field.whole(term.folded))})
    return literal_sq(field.group, term.folded)


def weight(parsed, mode="fuzzy"):
    """The index work a parsed query asks for: its distinct bigrams, plus the words of its fuzzy terms."""
    grams = set()
    words = 0
    for term in parsed.positive_terms + parsed.excluded:
        text = term.folded
        grams.update(bigrams(text) if len(text) > 1 else [text])
        if mode == "fuzzy" and not term.phrase and SEARCH_FIELDS[term.field].group and len(text) > 2:
            found = term.fuzzy_words
            words += len(found) if len(found) > 1 else 0
    return len(grams) + words


def compile_query(parsed, mode="fuzzy"):
    """The Plan of a parsed query in match mode ``mode`` ("fuzzy" or "exact"), or None if nothing can match."""
    if mode not in MATCH_MODES:
        mode = "fuzzy"
    gathered = _Compiling()
    matching, literal = [], []
    for clause in parsed.clauses:
        options = [node for node in (_term(t, mode, gathered) for t in clause) if node is not None]
        if options:
            matching.append(reduce(or_, [m for m, _ in options]))
            literal.append(reduce(or_, [lit for _, lit in options]))
    if not matching:
        return None
    matching, literal = reduce(and_, matching), reduce(and_, literal)
    for term in parsed.excluded:
        excluded = _exclusion(term)
        if excluded is not None:
            matching &= ~excluded
            literal &= ~excluded
    return Plan(matching=matching, literal=literal if gathered.scattered else None,
                ranked=tuple(gathered.ranked), marks=tuple(gathered.marks), weight=weight(parsed, mode))
