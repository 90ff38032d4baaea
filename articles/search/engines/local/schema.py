"""The Whoosh schema of the article index: one document per article.

Searchable text is indexed as bigrams with positions (literal substrings
and phrases) and unigrams (one-character queries); the headline also as
jieba words, to rank whole-word headline matches. (Body words were dropped:
they cost a quarter of the build time and recall never needs them.) Everything a result line, a filter or a facet needs is stored or
sortable here, so a results page never touches the database.
"""

from whoosh import fields

from articles.search.engines.local.analysis import bigram_analyzer, name_list_analyzer, unigram_analyzer, whole_value_analyzer, word_analyzer

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

    return fields.Schema(
        # haystack's bookkeeping fields, so its commands and queries still work.
        id=fields.ID(stored=True, unique=True),
        django_ct=fields.ID(stored=True),
        django_id=fields.ID(stored=True),
        text=ngram_field(),
        text_1=char_field(),
        headline=ngram_field(),
        headline_1=char_field(),
        people_text=ngram_field(),
        people_text_1=char_field(),
        column_text=ngram_field(),
        column_text_1=char_field(),
        headline_words=fields.TEXT(analyzer=word, phrase=False),
        # Filters and facets.
        people=fields.KEYWORD(stored=True, commas=True, analyzer=name_list_analyzer()),
        column=fields.ID(stored=True, sortable=True, analyzer=whole_value_analyzer()),
        kind=fields.ID(stored=True, sortable=True),
        # haystack's names for the kind and column facets (search_indexes.py).
        kind_exact=fields.ID(sortable=True),
        column_exact=fields.ID(sortable=True),
        page=fields.ID(stored=True, sortable=True),
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
