"""Headline parts printed line under line (no blank line between), on made-up pages."""

from articles.parsing import parse_page


def titles(page):
    return [(a.column, a.kicker, a.title, a.subtitle) for a in page.articles]


def test_column_title_and_deck_on_three_lines_head_one_article():
    text = (
        "一线调研\n某镇稻田迎来丰收季\n农户们忙着抢收晚稻确保颗粒归仓\n\n■记者 林旭东\n\n"
        "本报讯 昨天，某镇的千亩稻田迎来收割季，农户们驾驶收割机来回穿梭。\n"
    )
    page = parse_page(text, known_columns=frozenset({"一线调研"}))
    assert titles(page) == [("一线调研", "", "某镇稻田迎来丰收季", "农户们忙着抢收晚稻确保颗粒归仓")]
    assert page.articles[0].body.startswith("昨天，某镇的千亩稻田")


def test_a_deck_with_a_comma_under_its_title_is_no_wrapped_sentence():
    text = (
        "## 某村举办邻里节\n\n■记者 杨晨燕\n\n本报讯 昨天，某村举办邻里节，村民们拿出拿手菜分享。\n\n"
        "擦亮乡村旅游金字招牌\n去年全镇接待游客十二万人次，同比增长一成半\n\n"
        "近日，某镇的乡村旅游线路又添新景点，游客络绎不绝。\n"
    )
    page = parse_page(text)
    assert [a.title for a in page.articles] == ["某村举办邻里节", "擦亮乡村旅游金字招牌"]
    second = page.articles[1]
    assert second.subtitle == "去年全镇接待游客十二万人次，同比增长一成半"
    assert second.body.startswith("近日，某镇的乡村旅游线路")
    assert page.articles[0].body.endswith("村民们拿出拿手菜分享。")
    assert second.review_level == "must"  # a byline-less article after a report: its boundary is a guess


def test_a_stacked_title_and_deck_after_a_bylineless_report_are_not_its_last_paragraph():
    text = (
        "■记者 林旭东\n\n本报讯 昨天，某镇召开\n夏季安全生产会议，部\n署防汛防台工作。\n\n"
        "某镇夏季安全生产会议召开\n\n"
        "城乡居民医保参保开始\n今年个人缴费标准每人每年四百元\n\n"
        "  记者从市医保局获悉，城乡\n居民医保开始参保登记，居民可\n在线办理。\n\n"
        "市医保局\n"
    )
    page = parse_page(text)
    assert [a.title for a in page.articles][:1] == ["某镇夏季安全生产会议召开"]
    assert page.articles[0].body.endswith("署防汛防台工作。")
    second = page.articles[1]
    assert second.body.startswith("记者从市医保局获悉")


def test_a_first_line_cut_off_under_the_byline_opens_the_body():
    """Headline, byline, then one line cut off by a column break: the body's start, not a new article."""
    text = (
        "## 实干担当立潮头\n\n■本报评论员\n\n  新年首个工作日，某项攻坚\n\n"
        "行动投旗出征，战鼓擂响，号角嘹亮。\n开局伊始，全市上下以实际行动释放了\n攻坚奋进的鲜明信号。\n"
    )
    page = parse_page(text)
    (article,) = page.articles
    assert article.title == "实干担当立潮头"
    assert article.body.startswith("新年首个工作日，某项攻坚行动投旗出征")


def test_stacked_title_over_a_longer_deck_are_two_parts():
    text = "某镇菜篮子货足价稳\n多部门协同守牢节日安全\n\n■记者 张宇青\n\n本报讯 随着春节临近，某镇各农贸市场货源充足。\n"
    (article,) = parse_page(text).articles
    assert (article.kicker, article.title, article.subtitle) == ("", "某镇菜篮子货足价稳", "多部门协同守牢节日安全")


def test_stacked_kicker_over_a_shorter_title_are_two_parts():
    text = "某某科技城平湖园持续优化营商环境\n两面锦旗唱响营商环境创优曲\n\n■记者 李雨婷\n\n本报讯 近日，某社区服务中心挂上两面锦旗。\n"
    (article,) = parse_page(text).articles
    assert (article.kicker, article.title) == ("某某科技城平湖园持续优化营商环境", "两面锦旗唱响营商环境创优曲")


def test_a_wrapped_title_or_kicker_stays_one_part():
    """A short remainder, a connective at the start, equal halves: one part, as the samples print them."""
    text = (
        "某镇营商环境优化案例\n上市级创新榜\n\n■记者 杨晨燕\n\n本报讯 近日，市里公布创新案例。\n\n"
        "某某在全市安全生产会议\n暨防汛防台工作推进会上强调\n\n守牢安全底线 护航高质量发展\n\n■记者 林旭东\n\n"
        "本报讯 昨天，全市安全生产会议召开。\n"
    )
    first, second = parse_page(text).articles
    assert first.title == "某镇营商环境优化案例上市级创新榜"
    assert second.kicker == "某某在全市安全生产会议暨防汛防台工作推进会上强调"
    assert second.title == "守牢安全底线 护航高质量发展"
