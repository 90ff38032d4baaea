"""Every review reason is ranked by what a wrong guess would cost a reader.

须复核 (must): text or credit could be in the wrong article or lost.
可复核 (may): only a complete heading's layering, or a typographic repair.
Measured on the samples and the generated layouts: no wrong article without
须复核, and few right ones with it (`python -m tests.parsing.layouts --reasons`).
"""

import random

import pytest

from articles.parsing import parse_page
from articles.parsing.guesses import BOUNDARY, CREDIT, HEADLINE, MAY, MUST, classify, guess, review_level
from layouts import all_layouts, load_truth, measure, measure_samples

TRUTH = load_truth()


@pytest.mark.parametrize("reason, key, level", [
    (guess(HEADLINE, "标题结构不确定，两行标题无明显引题/副题标志"), "两行标题", MAY),
    (guess(HEADLINE, "相邻两行“甲／乙”按同一标题部分连读；如是引题/主题/副题，请拆开"), "相邻标题行连读", MAY),
    ("已修复重复提取的粗体文字：记者记者", "粗体重复已修复", MAY),
    (guess(HEADLINE, "未识别出标题"), "未识别标题", MUST),
    (guess(BOUNDARY, "“某某”按本文小标题处理；如是另一篇（无署名）文章的标题，请拆分"), "小标题或另一篇", MUST),
    (guess(BOUNDARY, "无标题无署名的正文，按另一篇文章处理；可能接续上文或他版"), "无题无署名正文", MUST),
    (guess(CREDIT, "署名“■口述 甲”中的“口述”不是已知身份或姓名，原样保留，未记为人物"), "署名无法识别", MUST),
    ("小标题位于各节之后，已移至各节之前", "小标题已前移", MUST),
    ("标题过长（230 字），已截为 200 字，请核对原文", "字段截断", MUST),
])
def test_each_reason_has_its_rule_and_level(reason, key, level):
    assert classify(reason) == (key, level)


def test_a_reason_nobody_ranked_is_must():
    """New wording never hides a possible loss behind 可复核."""
    assert classify("某种新的提示：某某")[1] == MUST
    assert classify("某种新的提示：某某")[0] == "某种新的提示"


def test_the_key_names_the_rule_not_the_line():
    first = guess(BOUNDARY, "“开放破局”按本文小标题处理；如是另一篇（无署名）文章的标题，请拆分")
    second = guess(BOUNDARY, "“创新破难”按本文小标题处理；如是另一篇（无署名）文章的标题，请拆分")
    assert classify(first) == classify(second)


def test_level_is_the_highest_reason_not_yet_cleared():
    heading = guess(HEADLINE, "标题结构不确定，两行标题无明显引题/副题标志")
    boundary = guess(BOUNDARY, "标题后未见正文")
    assert review_level([]) == ""
    assert review_level([heading]) == MAY
    assert review_level([heading, boundary]) == MUST
    assert review_level([heading, boundary], cleared=["标题后无正文"]) == MAY
    assert review_level([heading, boundary], cleared=["标题后无正文", "两行标题"]) == ""


def test_a_two_line_heading_alone_is_may_review():
    text = "平湖发布\n\n金秋时节\n\n稻田飘香\n\n■记者 林旭东\n\n本报讯 昨天，某镇某村的稻田迎来收割季，农户们忙着收割。\n"
    (article,) = parse_page(text).articles
    assert any(classify(r)[0] == "两行标题" for r in article.review_reasons)
    assert article.review_level == MAY and not article.needs_review


def test_samples_no_wrong_article_without_must_and_few_right_ones_with_it():
    total = measure_samples(TRUTH)
    assert total.articles == 28
    assert total.unflagged == 0
    assert total.flagged_correct <= 0.05 * total.articles
    assert total.may_correct >= 5  # heading layers are asked about, at the lower level


def test_generated_layouts_few_right_articles_must_be_reviewed():
    rng = random.Random(10)
    layouts = rng.sample(all_layouts(sorted(TRUTH), seeds=range(1, 10)), 200)
    total = measure(layouts, TRUTH)
    assert total.unflagged == 0
    assert total.flagged_correct <= 0.05 * total.articles, total.report()
