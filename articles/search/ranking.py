"""How results are ordered, on both engines: every weight and rule, named in one place.

Changing a number here changes the order of the next search; nothing of it
is written into the index, so no rebuild is needed (docs/search.md, "Changing
a ranking rule", works through an example).

Relevance order has two tiers and a tie-break:

1. **Literal first.** An article holding every typed term as written ranks
   above every article that matches only through a fuzzy term's scattered
   words (``Plan.literal``). The local engine sorts holders first
   (``engines/local/engine.py``); the cluster maps the text score below 1
   with ``CLUSTER_TEXT_SCORE`` and adds ``CLUSTER_LITERAL_WEIGHT`` for a
   holder, so holders always score higher (``engines/cluster/backend.py``).
2. **Score.** Within a tier, the local engine sums, for each typed term
   (``Plan.ranked``), saturated tf·idf of its character n-grams (BM25's
   saturation ``K1`` and idf, without length norms: articles are of similar
   size and the headline is scored on its own) weighted by where they were
   found (``WEIGHTS``); when several terms were typed, articles holding them
   side by side get ``ADJACENT`` on top. The cluster uses Elasticsearch's
   BM25 on the document text.
3. **Tie-break.** Equal scores: newest first (``NEWEST_FIRST``).

Past ``SCORE_LIMIT`` matches the local engine does not score at all (a word
in most of the archive says little by its frequency): headline matches
first, then the rest, each newest first, literal holders still ahead.
"""

# BM25's term-frequency saturation: one word repeated 30 times must not
# outrank an article about the subject.
K1 = 1.2

# Where a typed term's n-grams (or jieba words) were found -> the weight of their score.
WEIGHTS = {
    "text": 1.0,  # anywhere in the article: headline, column, body, credited names
    "headline": 6.0,  # in the headline (kicker, title, subtitle)
    "headline_words": 2.0,  # a jieba word of the term among the headline's words
}

# Several typed terms found side by side, as one literal -> added to the score.
ADJACENT = {
    "text": 4.0,
    "headline": 8.0,
}

# Scoring is linear in the matches; past this many, the order is headline
# matches first, then newest first (literal holders still ahead).
SCORE_LIMIT = 1000

# Among equal scores, the newer article first.
NEWEST_FIRST = True

# More like this (``SearchQuerySet().more_like_this(article)``, engines/local/related.py):
# the article's RELATED_TERMS most distinctive headline and body bigrams
# (use x idf, among its RELATED_CANDIDATES most used) and its RELATED_NAMES rarest people and places each, searched
# as one OR of the bigrams (names alone relate nothing). A bigram scores as a
# typed term does; a shared person or place adds its weight here x its idf (a reporter on every page counts for little,
# a village named in two reports for much). Equal scores: NEWEST_FIRST.
RELATED_TERMS = 8
# ... chosen among its this many most used bigrams: an index lookup each,
# the cost of choosing; an article holds about as many distinct bigrams as
# characters.
RELATED_CANDIDATES = 64
# ... those in more than this share of the archive only when too few others
# are left: they tell little apart and their posting lists are the longest
# to read (Lucene's more-like-this caps the same, max_doc_freq).
RELATED_MAX_SHARE = 0.05
RELATED_NAMES = 4
RELATED_WEIGHTS = {
    "people": 1.0,  # a credited name: reporters write many unrelated reports
    "places": 2.0,  # a place named in the text: the story's where
}

# The cluster's literal-first rule: a function_score whose text score is
# mapped into [0, 1) and a holder's weight added on top.
CLUSTER_TEXT_SCORE = "_score / (1 + _score)"
CLUSTER_LITERAL_WEIGHT = 2
