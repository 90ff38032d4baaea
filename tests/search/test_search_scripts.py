"""Traditional and Simplified Chinese are one script to search; highlights mark the text as printed.

Made-up articles, some printed in Traditional, some in Simplified, written
into a real Whoosh index and searched through the engine.
"""

from datetime import date

import pytest

from articles.models import Article, Credit, Issue, Page, Person
from articles.search.engines.local.analysis import JiebaWordTokenizer
from articles.search.text import ANALYSIS_VERSION, BASE_FOLD, fold, fold_with_offsets, script_table
from indexing import index_articles
from articles.search.service import SearchRequest, search
from articles.search.marks import find_spans
from articles.search.engines.local.store import forget_readers

ARTICLES = {
    # key: (headline, body, person)
    "simplified": ("优化营商环境再出实招", "本报讯 我市持续优化营商环境，为企业办实事。", "林晓东"),
    "traditional": ("優化營商環境再出實招", "本報訊 全市持續優化營商環境，為企業辦實事。", "陳國華"),
    # A Hong Kong form (衞) that OpenCC's plain t2s table leaves alone.
    "hong_kong": ("社区衞生服务站开张", "居民在家门口就能看病。", ""),
    "simplified_health": ("社区卫生服务中心扩建", "新增病床二十张。", ""),
    # A surname the script fold changes (於 -> 于), printed in a Simplified article.
    "surname": ("西瓜灯节开幕", "灯会吸引游客。", "於梨华"),
    "unrelated": ("乍浦港新航线开通", "集装箱吞吐量创新高。", "王强"),
}


@pytest.fixture
def scripts_index(db, index_dir):
    issue = Issue.objects.create(date=date(2025, 6, 3))
    page = Page.objects.create(issue=issue, label="3", source_name="scripts.txt", content_hash="x", raw_text="")
    made = {}
    for position, (key, (title, body, person)) in enumerate(ARTICLES.items(), 1):
        article = Article.objects.create(page=page, position=position, title=title, body=body)
        if person:
            Credit.objects.create(article=article, person=Person.objects.create(name=person), role="reporter")
        made[key] = article.pk
    index_articles(Article.objects.all(), index_dir, clear=True)
    return made


def found(q, **options):
    result = search(SearchRequest(q=q, **options), facets=False, window=(0, 100))
    assert not result.error, result.error
    return result


def ids(q, **options):
    return {hit.id for hit in found(q, **options).hits}


def test_fold_turns_traditional_into_simplified_one_character_each():
    assert fold("營商環境") == "营商环境" == fold("营商环境")
    assert fold("衞生") == "卫生"  # Hong Kong form
    assert fold("什麼") == "什么" and fold("什么") == "什么"  # 么 is not folded into 幺
    folded, offsets = fold_with_offsets("優化 營商\n環境")
    assert folded == "优化营商环境" and list(offsets) == [0, 1, 3, 4, 6, 7]
    assert offsets[-1] == 7 and len(offsets) == 6
    # Nothing dropped: every character where it was.
    folded, offsets = fold_with_offsets("營商環境")
    assert folded == "营商环境" and list(offsets) == [0, 1, 2, 3]


def test_the_script_table_maps_each_character_to_one_simplified_character_idempotently():
    table = script_table()
    assert len(table) > 4000
    assert table["營"] == "营" and table["環"] == "环" and table["衞"] == "卫"
    for traditional, simplified in table.items():
        assert len(simplified) == 1, traditional
        assert fold(traditional) == simplified and fold(simplified) == simplified, traditional
    # Width, case and whitespace folding are untouched by the script fold.
    assert not set(map(ord, table)) & set(BASE_FOLD)


def test_jieba_words_see_the_folded_text():
    words = [t.text for t in JiebaWordTokenizer()("優化營商環境")]
    assert "营商" in words or "营商环境" in words
    assert not any(ch in "營環" for w in words for ch in w)


def test_a_query_in_either_script_finds_articles_printed_in_both(scripts_index):
    both = {scripts_index["simplified"], scripts_index["traditional"]}
    for q in ("营商环境", "營商環境", "營商环境", '"優化營商"', "环"):
        assert ids(q) == both, q
    assert ids("營商環境", match="exact") == both
    assert ids("篇名:再出實招") == both
    # Fuzzy mode: the folded jieba words of a Traditional query match scattered too.
    assert ids("優化環境") == both
    assert ids("衞生") == ids("卫生") == {scripts_index["hong_kong"], scripts_index["simplified_health"]}


def test_highlights_mark_the_characters_as_printed(scripts_index):
    hits = {hit.id: hit for hit in found("營商環境").hits}
    traditional, simplified = hits[scripts_index["traditional"]], hits[scripts_index["simplified"]]
    assert "優化<mark>營商環境</mark>再出實招" == traditional.title_html
    assert "优化<mark>营商环境</mark>再出实招" == simplified.title_html
    assert "<mark>營商環境</mark>，為企業" in traditional.snippet
    assert "<mark>营商环境</mark>，为企业" in simplified.snippet
    text = "全市持續優化營商\n環境"
    assert [text[s:e] for s, e in find_spans(text, [fold("营商环境")])] == ["營商\n環境"]


def test_whole_names_and_columns_match_in_either_script(scripts_index):
    traditional = {scripts_index["traditional"]}
    assert ids("作者:陈国华") == ids("作者:陳國華") == traditional
    assert ids("作者:陈国华", match="exact") == ids("作者:陳國華", match="exact") == traditional
    assert ids("作者:王強", match="exact") == {scripts_index["unrelated"]}
    # A name the fold changes (於 -> 于) is still found whole, however it is typed.
    assert ids("作者:於梨华", match="exact") == ids("作者:于梨华", match="exact") == {scripts_index["surname"]}
    # The person filter (a name link on a results page) too; names are shown as printed.
    hits = found("實事", person="陈国华").hits
    assert [hit.id for hit in hits] == [scripts_index["traditional"]] and "陳國華" in hits[0].credits
    Article.objects.filter(pk=scripts_index["hong_kong"]).update(column="社區衞生")
    index_articles(Article.objects.all(), clear=True)
    forget_readers()
    assert ids("栏目:社区卫生", match="exact") == {scripts_index["hong_kong"]}
    assert found("服务", column="社區衞生").hits[0].column == "社區衞生"


def test_the_analysis_version_names_the_converter():
    assert "OpenCC" in ANALYSIS_VERSION and "hk2s" in ANALYSIS_VERSION
