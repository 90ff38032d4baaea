"""The Whoosh schema of the article index: one document per article, its fields from ``documents.SEARCH_FIELDS``.

Searchable text is indexed as bigrams with positions (literal substrings
and phrases) and unigrams (one-character queries); the headline also as
jieba words, to rank whole-word headline matches. (Body words were dropped:
they cost a quarter of the build time and recall never needs them.)
Everything a result line, a filter or a facet needs is stored or
sortable here, so a results page never touches the database.
"""

from whoosh import fields

from articles.search.documents import SEARCH_FIELDS
from articles.search.engines.local.analysis import (bigram_analyzer, name_list_analyzer, unigram_analyzer,
                                                    whole_value_analyzer, word_analyzer)
from articles.search.engines.local.whoosh.formats import BigramPositions, UnigramFrequency



def build_schema():
    bigram, unigram, word = bigram_analyzer(), unigram_analyzer(), word_analyzer()

    # No field boosts: posting weights are plain term frequencies, and every
    # weight is applied at query time from ranking.py (a change needs no rebuild).
    def ngram_field():
        field = fields.TEXT(analyzer=bigram, phrase=True)
        field.format = BigramPositions()
        return field

    def char_field():
        field = fields.TEXT(analyzer=unigram, phrase=False)
        field.format = UnigramFrequency()
        return field

    declared = {}
    for field in SEARCH_FIELDS.values():
        if field.group:
            declared[field.group[0]], declared[field.group[1]] = ngram_field(), char_field()
        if field.several:
            declared[field.keyword] = fields.KEYWORD(stored=True, commas=True, analyzer=name_list_analyzer())
        elif field.keyword:
            # Sortable: filters on candidates and facet counts read its column (columns.py).
            declared[field.keyword] = fields.ID(stored=True, sortable=True,
                                                analyzer=whole_value_analyzer() if field.folded else None)
        if field.facet:
            # haystack's name for a faceted field (search_indexes.py): the value as printed.
            declared[f"{field.keyword}_exact"] = fields.ID(sortable=True)
    return fields.Schema(
        # haystack's bookkeeping fields, so its commands and queries still work.
        id=fields.ID(stored=True, unique=True),
        django_ct=fields.ID(stored=True),
        django_id=fields.ID(stored=True),
        **declared,
        headline_words=fields.TEXT(analyzer=word, phrase=False),
        kind=fields.ID(stored=True, sortable=True),
        kind_exact=fields.ID(sortable=True),
        issue_date=fields.DATETIME(stored=True, sortable=True),
        year=fields.ID(stored=True, sortable=True),
        month=fields.ID(stored=True, sortable=True),
        order=fields.NUMERIC(numtype=int, bits=64, stored=False, sortable=True),
        newest=fields.NUMERIC(numtype=int, bits=64, stored=False, sortable=True),
        # Shown in result lines.
        title=fields.STORED(),
        subtitle=fields.STORED(),
        kicker=fields.STORED(),
        url=fields.STORED(),
        credits=fields.STORED(),
        # Where the issue date came from: a result line says when no masthead printed it.
        date_source=fields.STORED(),
        body=fields.STORED(),
    )
