"""Forms the paper prints that the five samples do not show, in made-up
fragments of the same shape."""

from articles.parsing import parse_page

R, P, A = "reporter", "photographer", "author"


def parts(article):
    return (article.column, article.kicker, article.title, article.subtitle)


def credits(article):
    return [(c.name, c.role) for c in article.credits]


def test_byline_after_the_body_before_a_jump_note():
    page = parse_page(
        "乡村夜校开课了\n\n"
        "本报讯 昨天晚上，某某村的文化礼堂里坐满了村民，\n一堂关于电商直播的课程正在进行。\n\n"
        "授课老师从选品讲到拍摄，村民们听得认真，不少人\n当场拿出手机练习。\n\n"
        "■记者 林某某\n\n"
        "下转C2版\n\n"
        "小河重现清澈\n\n■记者 胡某某\n\n本报讯 近日，某某镇完成了一段河道的整治，\n河水重新变得清澈。\n"
    )
    first, second = page.articles
    assert (first.title, credits(first), first.continued_to) == ("乡村夜校开课了", [("林某某", R)], "C2")
    assert first.body.endswith("当场拿出手机练习。")
    assert (second.title, credits(second)) == ("小河重现清澈", [("胡某某", R)])
    assert page.orphan_bylines == []


def test_continuation_page_jump_headline_then_the_rest():
    page = parse_page(
        "乡村夜校\n\n上接C1版\n\n"
        "课后，不少村民留下来继续请教，夜校还将开设更多\n课程，满足村民的学习需求。\n\n"
        "小河重现清澈\n\n■记者 胡某某\n\n本报讯 近日，某某镇完成了一段河道的整治，\n河水重新变得清澈。\n"
    )
    jump, other = page.articles
    assert (jump.title, jump.continued_from, credits(jump)) == ("乡村夜校", "C1", [])
    assert jump.body.startswith("课后，不少村民留下来继续请教")
    assert (other.title, credits(other)) == ("小河重现清澈", [("胡某某", R)])


def test_vox_pop_boxes_stay_in_their_article_and_make_no_person():
    page = parse_page(
        "垃圾分类进小区\n\n■记者 林某某\n\n"
        "本报讯 近日，某某街道在辖区小区推行垃圾分类，\n居民们怎么看？记者进行了走访。\n\n"
        "张某某\n（某镇某村村民）\n\n"
        "分类以后小区干净多了，我们也慢慢习惯了。\n\n"
        "李某\n（某某社区居民）\n\n"
        "一开始觉得麻烦，现在觉得挺好的，孩子也会帮忙。\n"
    )
    (article,) = page.articles
    assert (article.title, credits(article)) == ("垃圾分类进小区", [("林某某", R)])
    texts = [b.text for b in article.blocks]
    assert "张某某（某镇某村村民）" in texts and "李某（某某社区居民）" in texts
    assert texts[-1] == "一开始觉得麻烦，现在觉得挺好的，孩子也会帮忙。"
    assert not any(c.name in ("张某某", "李某") for c in article.credits)


def test_two_line_headline_with_a_deck_without_a_dash():
    page = parse_page(
        "小河重现清澈\n\n某某镇完成首段河道综合整治工程\n\n■记者 胡某某\n\n"
        "本报讯 近日，某某镇完成了一段河道的整治，\n河水重新变得清澈。\n"
    )
    (article,) = page.articles
    assert parts(article) == ("", "", "小河重现清澈", "某某镇完成首段河道综合整治工程")
    # No dash, no bold: the split is a guess, and said to be one.
    assert any(r.startswith("标题存疑") for r in article.review_reasons)


def test_headline_on_two_lines_that_reads_as_one_is_joined_with_a_space():
    page = parse_page(
        "全力推进乡村振兴\n奋力打造共富样板\n\n■记者 胡某某\n\n"
        "本报讯 昨天，全市乡村振兴工作会议召开，会议部署\n了下一阶段的重点工作。\n"
    )
    (article,) = page.articles
    assert parts(article) == ("", "", "全力推进乡村振兴 奋力打造共富样板", "")


def test_headline_of_an_article_without_byline_is_not_a_subhead():
    """Headline first: "昨天" opens a report, so the short line above it is a title."""
    page = parse_page(
        "小河重现清澈\n\n■记者 胡某某\n\n"
        "本报讯 近日，某某镇完成了一段河道的整治，\n河水重新变得清澈。\n\n"
        "乡村夜校开课了\n\n"
        "昨天晚上，某某村的文化礼堂里坐满了村民，一堂\n关于电商直播的课程正在进行。\n"
    )
    first, second = page.articles
    assert (first.title, second.title, credits(second)) == ("小河重现清澈", "乡村夜校开课了", [])
    assert second.body.startswith("昨天晚上")
    assert any(r.startswith("分篇存疑") for r in second.review_reasons)


def test_editorial_without_byline_after_a_feature_is_decided_and_flagged():
    """No byline, no dateline, no deck: the line is read as a subhead, and flagged."""
    page = parse_page(
        "小河重现清澈\n\n■记者 胡某某\n\n"
        "某某镇的小河曾经污水横流，如今却清澈见底，\n村民们又能在河边散步了。\n\n"
        "让每一条河都美起来\n\n"
        "治水没有终点，只有连续不断的新起点。守护好\n一河清水，需要每个人的参与。\n"
    )
    (article,) = page.articles
    assert [b.kind for b in article.blocks] == ["p", "subhead", "p"]
    assert any(r.startswith("分篇存疑") and "让每一条河都美起来" in r for r in article.review_reasons)


def test_headline_parts_on_consecutive_lines():
    """Without a blank line between them, a kicker is still told by its verb of
    speech; two lines joined into one part on no evidence are flagged."""
    body = "\n\n■记者 胡某某\n\n本报讯 昨天，全市乡村振兴工作会议召开，会议部署\n了下一阶段的重点工作。\n"
    (article,) = parse_page("张某某在调研乡村振兴工作时强调\n全力推进乡村振兴" + body).articles
    assert parts(article) == ("", "张某某在调研乡村振兴工作时强调", "全力推进乡村振兴", "")
    (article,) = parse_page("全力推进乡村振兴\n奋力打造共富样板" + body).articles
    assert article.title == "全力推进乡村振兴 奋力打造共富样板"
    assert any(r.startswith("标题存疑") and "连读" in r for r in article.review_reasons)
