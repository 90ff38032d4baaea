"""Each article says where it stands in the page: its source spans (line ranges),
several where something else interrupts it. The admin's raw-text pane marks them."""

import re
from pathlib import Path

import pytest

from articles.parsing import parse_page
from articles.parsing.page import source_spans

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def loose(text):
    """Spaces and the width of punctuation aside (the parser may give either width)."""
    return re.sub(r"\s", "", text).translate(str.maketrans("，：；？！（）", ",:;?!()"))


def test_runs_bridge_blank_lines_only():
    raw = ["甲", "", "乙", "丙", "杂", "丁", ""]
    assert source_spans([0, 2, 3, 5], raw) == [[0, 3], [5, 5]]
    assert source_spans([], raw) == []
    assert source_spans([5, 0, 0], raw) == [[0, 0], [5, 5]]


def test_two_articles_on_made_up_lines():
    text = (
        "平湖发布\n\n"
        "## 某镇开展夏季消防演练\n\n■记者 林旭东\n\n本报讯 昨天，某镇在某村开展夏季消防演练，\n百余名村民参加。\n\n"
        "演练结束后，消防员讲解了灭火器的用法。\n\n"
        "## 某街道举办邻里节\n\n■记者 杨晨燕\n\n本报讯 昨天，某街道举办第三届邻里节，居民们\n拿出自家的拿手菜分享。\n"
    )
    lines = text.split("\n")
    first, second = parse_page(text).articles
    assert first.spans == [[2, 9]] and lines[9] == "演练结束后，消防员讲解了灭火器的用法。"
    assert second.spans == [[11, 16]] and lines[16] == "拿出自家的拿手菜分享。"


def test_an_interrupted_article_has_several_spans():
    """An app promotion line inside the body belongs to no article: it splits the span."""
    text = (
        "## 某村稻田开镰\n\n■记者 林旭东\n\n本报讯 昨天，某村的千亩稻田开镰收割，\n农户们忙着把稻谷运回家。\n\n"
        "今平湖客户端\n\n"
        "今年稻谷亩产比去年增加了五十公斤。\n"
    )
    (article,) = parse_page(text).articles
    assert article.spans == [[0, 5], [9, 9]]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_sample_spans_hold_every_line_of_the_article_and_no_other(path):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    page = parse_page(text)
    owners = {}
    for article in page.articles:
        covered = {n for first, last in article.spans for n in range(first, last + 1)}
        assert set(article.lines) <= covered
        # Beyond its own lines a span holds only blank lines.
        assert all(not lines[n].strip() for n in covered - set(article.lines))
        marked = loose("".join(lines[n] for n in sorted(covered)))
        assert loose(article.title) in marked or article.title == "（无题）" or all(
            ch in marked for ch in loose(article.title))
        for block in (article.blocks[0], article.blocks[-1]):
            assert loose(block.text)[:8] in marked and loose(block.text)[-8:] in marked
        for n in article.lines:
            owners.setdefault(n, []).append(article.position)
    # A line is shared only where a headline was glued to the next paragraph.
    shared = [n for n, who in owners.items() if len(who) > 1]
    assert len(shared) <= 1
