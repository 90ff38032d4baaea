"""Whoosh analyzers of the local index, built on the shared text rules (``articles.search.text``).

Recall rests on character n-grams (bigrams with positions, unigrams for
one-character queries); jieba words are indexed beside them only to rank
whole-word headline matches. Every analyzer folds as ``text.fold`` does, so
documents, queries and highlighting agree.
"""

from whoosh.analysis import CommaSeparatedTokenizer, Filter, IDTokenizer, Token, Tokenizer

from articles.search.text import PART_GAP, PART_SEPARATOR, fold, fold_with_offsets, words


def _folded_parts(value, chars, start_pos, start_char):
    """(folded part, source offsets or None, its first position, its first source character) per part.

    Positions skip PART_GAP at each separator; source characters count the
    separator itself, so offsets index ``value``.
    """
    pos, char = start_pos, start_char
    for part in value.split(PART_SEPARATOR):
        folded, offsets = fold_with_offsets(part) if chars else (fold(part), None)
        yield folded, offsets, pos, char
        pos += len(folded) + PART_GAP
        char += len(part) + 1


class BigramTokenizer(Tokenizer):
    """Overlapping character bigrams with one position per character."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for folded, offsets, pos, char in _folded_parts(value, chars, start_pos, start_char):
            for i in range(len(folded) - 1):
                token.text = folded[i:i + 2]
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos + i
                if chars:
                    # Whoosh's query parser reads these for every phrase.
                    token.startchar, token.endchar = char + offsets[i], char + offsets[i + 1] + 1
                if keeporiginal:
                    token.original = token.text
                yield token


class UnigramTokenizer(Tokenizer):
    """Single characters: one-character queries and ranking by character."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for folded, offsets, pos, char in _folded_parts(value, chars, start_pos, start_char):
            for i, text in enumerate(folded):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos + i
                if chars:
                    token.startchar, token.endchar = char + offsets[i], char + offsets[i] + 1
                if keeporiginal:
                    token.original = text
                yield token


class JiebaWordTokenizer(Tokenizer):
    """jieba words of the folded text; only for ranking, so no positions needed."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for part in value.split(PART_SEPARATOR):
            for word in words(part):
                token.text = word
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos
                pos += 1
                yield token
            pos += PART_GAP


class FoldFilter(Filter):
    """Folds each token, so whole names and columns match in either script, width or case."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            if token.text:
                yield token


def bigram_analyzer():
    return BigramTokenizer()


def unigram_analyzer():
    return UnigramTokenizer()


def word_analyzer():
    return JiebaWordTokenizer()


def name_list_analyzer():
    """Comma-separated whole names (the people keyword field), folded; stored values stay as printed."""
    return CommaSeparatedTokenizer() | FoldFilter()


def whole_value_analyzer():
    """The whole value as one folded term (the column field); its sort column keeps the printed value."""
    return IDTokenizer() | FoldFilter()
