"""The reader's query language, parsed by hand into Whoosh query objects.

Syntax a reader already knows: spaces mean AND, "quotes" make a phrase,
-word excludes, OR between two terms offers alternatives, and a field prefix
(篇名: 作者: 栏目: 版次:) limits one term to one field. Nothing the reader
types reaches Whoosh's own query parser, so Whoosh syntax is just text and a
hostile query can at worst find nothing; problems come back as a
``QueryError`` whose message is shown to the reader.

Every term is a literal: "平湖生物" finds exactly the articles containing that
string. In fuzzy mode (the default) an unquoted term is also allowed to match
scattered: jieba splits it into words and each word must occur; articles
where the whole term occurs literally still rank first.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings

from whoosh import query as wq

from ..index.analysis import bigrams, fold, words
from ..index.schema import LITERAL_FIELDS
from .evaluate import Literal


def max_query_chars():
    return settings.PHNEWS_SEARCH_MAX_QUERY_CHARS


def max_terms():
    return settings.PHNEWS_SEARCH_MAX_TERMS


FIELDS = {
    "any": "全部字段",
    "headline": "篇名",
    "person": "作者",
    "column": "栏目",
    "page": "版次",
}
FIELD_PREFIXES = {
    "篇名": "headline", "标题": "headline", "title": "headline",
    "作者": "person", "author": "person",
    "栏目": "column", "column": "column",
    "版次": "page", "page": "page",
    "全部": "any", "any": "any",
}
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
        """jieba words of the term, for scattered matching and ranking.

        None past PHNEWS_SEARCH_MAX_FUZZY_WORDS: such a long term (a pasted
        sentence) is matched as written, each word would be one more literal
        to read for every article.
        """
        found = words(self.folded)
        return found if len(found) <= settings.PHNEWS_SEARCH_MAX_FUZZY_WORDS else []


@dataclass
class ParsedQuery:
    clauses: list = field(default_factory=list)  # AND of clauses; each clause an OR of Terms
    excluded: list = field(default_factory=list)
    raw: str = ""

    @property
    def positive_terms(self):
        return [term for clause in self.clauses for term in clause]

    def highlight_terms(self, mode="fuzzy"):
        """Folded strings to mark in text: each literal, plus its words in fuzzy mode."""
        found = []
        for term in self.positive_terms:
            if term.field == "page":
                continue
            candidates = [term.folded]
            if mode == "fuzzy" and not term.phrase:
                candidates += [w for w in term.fuzzy_words if w != term.folded]
            for c in candidates:
                if c and c not in found:
                    found.append(c)
        return found


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
        if field_name == "page":
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


def literal(text, group="text"):
    """Articles whose ``group`` fields contain ``text`` (folded) literally."""
    bigram_field, unigram_field = LITERAL_FIELDS[group]
    if len(text) == 1:
        return wq.Term(unigram_field, text)
    grams = bigrams(text)
    if len(grams) == 1:
        return wq.Term(bigram_field, grams[0])
    return Literal(bigram_field, grams)


_GROUP = {"any": "text", "headline": "headline", "person": "people", "column": "column"}


def scattered_words(term, mode):
    """The words an unquoted fuzzy term may match apart, or None when it matches only as written."""
    if term.field == "page" or mode == "exact" or term.phrase or len(term.folded) <= 2:
        return None
    pieces = term.fuzzy_words
    return pieces if len(pieces) > 1 else None


def term_query(term, mode):
    """The matching (not ranking) query of one term."""
    if term.field == "page":
        return wq.Term("page", term.folded)
    if mode == "exact" and term.field == "person":
        return wq.Term("people", term.folded)
    if mode == "exact" and term.field == "column":
        return wq.Term("column", term.folded)
    group = _GROUP[term.field]
    pieces = scattered_words(term, mode)
    if pieces is None:
        return literal(term.folded, group)
    # Scattered words: each word must occur. The whole literal needs no
    # clause of its own: every word is a substring of it, so an article
    # holding the literal holds all its words. literal_query ranks those first.
    return wq.And([literal(w, group) for w in pieces])


def literal_query(parsed, mode="fuzzy"):
    """Which matches hold every typed term as written; None when every match does.

    Only terms that may match scattered (``scattered_words``) need checking:
    the others already matched as written. Evaluated only within the matches.
    """
    clauses = [clause for clause in parsed.clauses if any(scattered_words(t, mode) for t in clause)]
    if not clauses:
        return None
    required = []
    for clause in clauses:
        whole = [literal(t.folded, _GROUP[t.field]) if scattered_words(t, mode) else term_query(t, mode)
                 for t in clause]
        required.append(whole[0] if len(whole) == 1 else wq.Or(whole))
    return required[0] if len(required) == 1 else wq.And(required)


def headline_query(parsed):
    """Articles with any of the typed terms literally in their headline."""
    found = [literal(t.folded, "headline") for t in parsed.positive_terms if t.field in ("any", "headline")]
    return wq.Or(found) if found else wq.NullQuery


def _bag(text, group):
    """The literal's n-grams as independent terms: cheap to score, no positions read."""
    bigram_field, unigram_field = LITERAL_FIELDS[group]
    if len(text) == 1:
        return [wq.Term(unigram_field, text)]
    return [wq.Term(bigram_field, g) for g in dict.fromkeys(bigrams(text))]


def ranking_query(parsed, mode):
    """What orders the matches (run only over documents already known to match).

    BM25 over the literals' n-grams in the text and, weighted up, in the
    headline, plus headline jieba words; when several terms were typed, their
    concatenation as an exact phrase lifts articles that have them side by side.
    Phrase checks are the expensive part of a query, so the single-term case
    never re-checks its phrase here.
    """
    scoring = []
    positives = [t for t in parsed.positive_terms if t.field in ("any", "headline")]
    for term in positives:
        scoring += _bag(term.folded, "text")
        scoring += [_boosted(q, 6.0) for q in _bag(term.folded, "headline")]
        for w in term.fuzzy_words if term.field == "any" and len(term.folded) > 1 else ():
            scoring.append(_boosted(wq.Term("headline_words", w), 2.0))
    if not scoring:
        return None
    base = wq.Or(scoring)
    if len(positives) > 1:
        joined = "".join(t.folded for t in positives)
        return wq.AndMaybe(base, wq.Or([_boosted(literal(joined, "text"), 4.0),
                                        _boosted(literal(joined, "headline"), 8.0)]))
    return base


def _boosted(q, boost):
    q.boost = boost
    return q


def to_whoosh(parsed, mode="fuzzy"):
    """One Whoosh query that both matches and ranks (for callers outside the engine)."""
    matching = matching_query(parsed, mode)
    ranking = ranking_query(parsed, mode if mode in MATCH_MODES else "fuzzy")
    return wq.AndMaybe(matching, ranking) if ranking is not None else matching


def matching_query(parsed, mode="fuzzy"):
    """The Whoosh query deciding which articles match (no ranking clauses)."""
    if mode not in MATCH_MODES:
        mode = "fuzzy"
    required = [wq.Or([term_query(t, mode) for t in clause]) if len(clause) > 1 else term_query(clause[0], mode)
                for clause in parsed.clauses]
    matching = required[0] if len(required) == 1 else wq.And(required)
    if parsed.excluded:
        # Exclusion is always literal: "-平湖" drops every article containing 平湖.
        excluded = [term_query(t, "exact") for t in parsed.excluded]
        matching = wq.AndNot(matching, wq.Or(excluded) if len(excluded) > 1 else excluded[0])
    return matching
