"""The query language, the analyzers and the Chinese highlighter, without a database."""

import pytest
from plans import matching_of
from haystack.inputs import Exact
from haystack.query import SQ

from articles.search.engines.local.analysis import BigramTokenizer
from articles.search.text import PART_SEPARATOR, fold
from articles.search.marks import find_spans, highlight, snippet
from articles.search.querylang import QueryError, max_query_chars, parse


def test_fold_unifies_width_case_and_drops_typesetting_space():
    assert fold("１２０．４亿元（ＡＢｃ）") == "120.4亿元(abc)"
    assert fold("王 强\n纪亚千") == "王强纪亚千"
    assert fold("“营商”") == '"营商"'


def test_bigrams_have_consecutive_positions_and_never_span_parts():
    tokens = [(t.text, t.pos) for t in BigramTokenizer()(f"平湖市{PART_SEPARATOR}招商", positions=True)]
    assert tokens[:2] == [("平湖", 0), ("湖市", 1)]
    assert "市招" not in [text for text, _ in tokens]
    assert tokens[2][1] - tokens[1][1] > 50


@pytest.mark.parametrize("tokenizer", ["BigramTokenizer", "UnigramTokenizer"])
def test_character_offsets_point_at_the_source_in_every_part(tokenizer):
    from articles.search.engines.local import analysis

    value = f"平湖 市（ＡＢ）{PART_SEPARATOR}招\n商引资{PART_SEPARATOR}王 强"
    # Whoosh tokenizers reuse one Token object: read each as it comes.
    tokens = [(t.text, t.startchar, t.endchar) for t in getattr(analysis, tokenizer)()(value, chars=True)]
    assert {text for text, _, _ in tokens} >= ({"招商", "王强"} if tokenizer == "BigramTokenizer" else {"招", "强"})
    for text, start, end in tokens:
        assert fold(value[start:end]) == text, text
        assert PART_SEPARATOR not in value[start:end]


def test_spaces_and_quotes_and_or_and_exclusion():
    parsed = parse('平湖 "生物 医药" 招商 OR 引资 -上海')
    assert [[t.folded for t in clause] for clause in parsed.clauses] == [["平湖"], ["生物医药"], ["招商", "引资"]]
    assert parsed.clauses[1][0].phrase
    assert [t.folded for t in parsed.excluded] == ["上海"]


def test_field_prefixes_and_full_width_syntax():
    parsed = parse("篇名：招商 作者:林旭东 版次:c1 “平湖 经开”")
    fields = [(t.field, t.folded) for t in parsed.positive_terms]
    assert fields == [("headline", "招商"), ("person", "林旭东"), ("page", "C1"), ("any", "平湖经开")]


@pytest.mark.parametrize("raw", ['"', '""', "-", "，。！", "“", "OR", "- - -"])
def test_nothing_to_search_gives_a_message(raw):
    with pytest.raises(QueryError) as error:
        parse(raw)
    assert str(error.value)


def test_only_exclusions_and_too_long_give_messages():
    with pytest.raises(QueryError, match="排除"):
        parse("-平湖")
    with pytest.raises(QueryError, match=str(max_query_chars())):
        parse("平" * 10_000)


@pytest.mark.parametrize("raw", [
    'title:foo AND *', "平湖 AND OR NOT", "a*b?c~2", "[a TO b]", "(平湖", '平湖"上海', "field:(x OR y)^3",
    "\x00\x1f平湖", "<script>alert(1)</script>",
])
def test_whoosh_syntax_is_just_text(raw):
    parsed = parse(raw)
    built = matching_of(parsed)
    assert isinstance(built, SQ)
    # Every value reaches a backend as an exact literal, never as query syntax.
    assert all(isinstance(value, Exact) for value in _values(built))
    for term in parsed.positive_terms:
        assert term.folded == fold(term.text) or term.field == "page"


def _values(node):
    for child in node.children:
        if isinstance(child, tuple):
            yield child[1]
        else:
            yield from _values(child)


def test_spans_map_back_over_spaces_line_breaks_and_width():
    text = "平湖（上海）生物医\n药产业，王 强摄"
    spans = find_spans(text, [fold("平湖(上海)"), "生物医药", "王强"])
    assert [text[s:e] for s, e in spans] == ["平湖（上海）", "生物医\n药", "王 强"]


def test_highlight_escapes_html_and_marks_exact_characters():
    html = str(highlight("<b>平湖</b> & 平湖", ["平湖"]))
    assert html == "&lt;b&gt;<mark>平湖</mark>&lt;/b&gt; &amp; <mark>平湖</mark>"


def test_snippet_never_cuts_a_highlight_and_marks_stay_balanced():
    text = "前言。" + "无关的文字" * 40 + "生物医药产业" + "后面的文字" * 40
    html = str(snippet(text, ["生物医药产业"], size=30))
    assert "<mark>生物医药产业</mark>" in html
    assert html.count("<mark>") == html.count("</mark>") == 1
    assert html.startswith("…") and html.endswith("…")
    # A match longer than the snippet is still shown whole.
    long_term = "无关的文字" * 10
    html = str(snippet(text, [long_term], size=10))
    assert f"<mark>{long_term}" in html


def test_snippet_prefers_the_densest_region():
    text = "平湖" + "。" * 300 + "平湖招商平湖招商平湖招商"
    html = str(snippet(text, ["平湖", "招商"], size=40))
    assert html.count("<mark>") >= 5


def test_fast_formats_index_exactly_what_the_tokenizers_would():
    from whoosh import formats

    from articles.search.engines.local.analysis import UnigramTokenizer
    from articles.search.engines.local.whoosh.formats import BigramPositions, UnigramFrequency

    # Empty, one-character and repeated-bigram parts included.
    text = f"{PART_SEPARATOR}平湖（上海）生物\n医药 产业，１２０．４亿元 ABC哈哈哈{PART_SEPARATOR}王 强{PART_SEPARATOR * 2}x{PART_SEPARATOR}哈哈"
    whoosh_format, ours = formats.Positions(field_boost=2.0), BigramPositions(field_boost=2.0)
    slow = sorted((term, freq, weight, whoosh_format.decode_positions(value))
                  for term, freq, weight, value in whoosh_format.word_values(text, BigramTokenizer()))
    fast = sorted((term, freq, weight, ours.decode_positions(value))
                  for term, freq, weight, value in ours.word_values(text, None))
    assert fast == slow and len(fast) > 10
    assert all(ours.decode_frequency(ours.encode(p)) == len(p) for _, _, _, p in fast)
    slow = sorted(formats.Frequency().word_values(text, UnigramTokenizer()))
    fast = sorted(UnigramFrequency().word_values(text, None))
    assert fast == slow
