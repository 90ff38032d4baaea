"""Byline forms the paper prints beyond the five samples, in made-up fragments
of the same shape: every credit gets a role from the known-role table, and a
word that is neither a known role nor a name never becomes a person."""

import pytest

from articles.parsing import parse_page
from articles.parsing.bylines import parse_byline

R, C, T, P, K, A, V = "reporter", "correspondent", "trainee_reporter", "photographer", "cartoonist", "author", "advisor"

BODY = "本报讯 昨天上午，某某镇举办了一场小型的活动，\n来自各村的居民参加。\n"


def credits_of(text):
    return [(c.name, c.role) for c in parse_byline(text).credits]


@pytest.mark.parametrize("text, expected", [
    ("■撰文 张一鸣 李二娜", [("张一鸣", A), ("李二娜", A)]),
    ("■文/摄 王小五", [("王小五", A), ("王小五", P)]),
    ("■摄影 记者 赵六一", [("赵六一", P)]),
    ("■摄影 王 强 纪亚千", [("王强", P), ("纪亚千", P)]),
    ("■摄影 孙 丽 周 平", [("孙丽", P), ("周平", P)]),
    ("■摄影记者 钱七星", [("钱七星", P)]),
    ("■言成声", [("言成声", A)]),
    ("□ 孙八斗", [("孙八斗", A)]),
    ("■记者 林某某 见习记者 张某", [("林某某", R), ("张某", T)]),
    ("■本报评论员", [("本报评论员", "commentator")]),
    ("漫画 李某峰", [("李某峰", K)]),
])
def test_known_byline_forms(text, expected):
    record = parse_byline(text)
    assert [(c.name, c.role) for c in record.credits] == expected
    assert record.unknown == [] and record.reasons == []


@pytest.mark.parametrize("text, name, school", [
    ("■某某小学501班 周小九", "周小九", "某某小学501班"),
    ("■某某中学高一13班 吴十一", "吴十一", "某某中学高一13班"),
])
def test_school_and_class_before_a_student(text, name, school):
    record = parse_byline(text)
    assert [(c.name, c.role, c.affiliation) for c in record.credits] == [(name, A, school)]
    assert record.unknown == []


@pytest.mark.parametrize("text, kept", [
    ("■口述 张三丰", "口述"),
    ("■记者 林某某 编译 胡某某", "编译"),
    ("■撰文", "撰文"),
])
def test_unknown_words_in_a_role_position_are_kept_and_flagged(text, kept):
    record = parse_byline(text)
    names = [c.name for c in record.credits]
    assert kept not in names
    assert kept in record.unknown
    assert any(kept in reason for reason in record.reasons)


def test_a_lone_signature_that_is_no_ordinary_name_is_credited_but_flagged():
    record = parse_byline("■亦舒心语")
    assert credits_of("■亦舒心语") == [("亦舒心语", A)]
    assert any("不像常见姓名" in r for r in record.reasons)


def test_two_line_byline_with_a_role_led_second_line():
    page = parse_page("■记者 林某某\n摄影 胡某某\n\n" + BODY + "\n某镇居民欢聚一堂\n")
    (article,) = page.articles
    assert [(c.name, c.role) for c in article.credits] == [("林某某", R), ("胡某某", P)]
    assert article.byline == "■记者 林某某 摄影 胡某某"


def test_teacher_credit_after_a_student_essay_stays_with_the_essay():
    text = (
        "我家门前的小河\n\n■某某小学501班 周小九\n\n"
        "我家门前有一条小河，河水清清的，\n夏天我常和小伙伴在河边玩耍。\n\n"
        "指导老师 郑某某\n\n"
        "秋日的田野\n\n■某某中学高一13班 吴十一\n\n"
        "秋天到了，田野里一片金黄，稻谷\n低下了沉甸甸的头。\n"
    )
    page = parse_page(text)
    assert [a.title for a in page.articles] == ["我家门前的小河", "秋日的田野"]
    first, second = page.articles
    assert [(c.name, c.role) for c in first.credits] == [("周小九", A), ("郑某某", V)]
    assert (second.kicker, [(c.name, c.role) for c in second.credits]) == ("", [("吴十一", A)])
    assert not any("指导老师" in b.text for a in page.articles for b in a.blocks)


def test_unknown_role_word_is_kept_on_the_article_and_flagged():
    page = parse_page("小镇新事\n\n■口述 张三丰\n\n" + BODY)
    (article,) = page.articles
    assert [(c.name, c.role) for c in article.credits] == [("张三丰", A)]
    assert "口述" in article.byline
    assert any("口述" in r for r in article.review_reasons)


@pytest.mark.parametrize("line", ["本版图片由某某镇提供", "□本版图片除署名外由某某街道提供", "■本版照片由市某某局提供"])
def test_picture_credit_lines_belong_to_no_article(line):
    page = parse_page("小镇新事\n\n■记者 林某某\n\n" + BODY + "\n" + line + "\n")
    (article,) = page.articles
    assert line not in article.body and [c.name for c in article.credits] == ["林某某"]
    assert line in page.leftover_text
