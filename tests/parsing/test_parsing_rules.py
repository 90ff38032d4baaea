"""The parser's rules, one at a time, on real fragments of the sample pages
and on fragments written to show a rule."""

import datetime

import pytest

from articles.parsing import parse_page
from articles.parsing.body import BodyBuilder, continues_word, is_couplet, is_subhead_text
from articles.parsing.bylines import is_byline_continuation, parse_byline
from articles.parsing.elements import Line, is_headlike, split_elements
from articles.parsing.headlines import HeadLine, assign, join_title_lines
from articles.parsing.masthead import is_masthead_line, parse_masthead, parse_page_header
from articles.parsing.text import ends_sentence, join_wrapped, tidy_spaces, undouble


# --- doubled bold runs -------------------------------------------------------

@pytest.mark.parametrize(
    "doubled, repaired",
    [
        ("■■记者记者 胡佳英胡佳英 通讯员通讯员 曹金凤曹金凤", "■记者 胡佳英 通讯员 曹金凤"),
        ("创新奋进创新奋进创新奋进，，，构筑高质量发展新优势构筑高质量发展新优势构筑高质量发展新优势",
         "创新奋进，构筑高质量发展新优势"),
        ("———三个—三个““一号工程一号工程””的平湖经开新答卷的平湖经开新答卷", "——三个“一号工程”的平湖经开新答卷"),
        ("今年今年66月月，，嘉吉新项目盛大开业嘉吉新项目盛大开业", "今年6月，嘉吉新项目盛大开业"),
        ("““两面锦旗两面锦旗””唱响营商环境唱响营商环境““创优曲创优曲””", "“两面锦旗”唱响营商环境“创优曲”"),
        ("““不二选择不二选择””。。比如比如，，20222022年年，，区内企业尼区内企业尼", "“不二选择”。比如，2022年，区内企业尼"),
    ],
)
def test_doubled_runs_are_repaired(doubled, repaired):
    assert undouble(doubled) == (repaired, True)


def test_doubling_that_starts_mid_line_is_repaired():
    assert undouble("面提升平湖经开政务、法治法治、、市场市场、、经济经济") == ("面提升平湖经开政务、法治、市场、经济", True)


@pytest.mark.parametrize("genuine", ["谢谢", "常常", "66", "谢谢大家的支持", "人人", "研究研究这个问题", "66月", "1111", "2020", "2020年"])
def test_genuine_repeats_survive(genuine):
    assert undouble(genuine) == (genuine, False)


def test_plain_line_is_untouched():
    line = "得科集团连落“三子”，经过24年发展，整"
    assert undouble(line) == (line, False)


# --- wrapping, spacing, punctuation ------------------------------------------

def test_wrapped_lines_join_without_spaces():
    assert join_wrapped(["本报讯 每场专场推介，都在为", "平湖的产业发展集聚力量。昨天下", "午，2023浙江"]) == (
        "本报讯 每场专场推介，都在为平湖的产业发展集聚力量。昨天下午，2023浙江"
    )


def test_wrapped_latin_words_keep_a_space():
    assert join_wrapped(["developed by", "Smith and"]) == "developed by Smith and"


def test_justification_spaces_around_numbers_go():
    assert tidy_spaces("已布局生物医药产业 10余年，是浙江省认定的 49家合规园区之一") == (
        "已布局生物医药产业10余年，是浙江省认定的49家合规园区之一"
    )
    assert tidy_spaces("上半年完成实际外资 4 亿美元") == "上半年完成实际外资4亿美元"


def test_spaces_between_chinese_words_stay():
    assert tidy_spaces("《平湖市推进涉外“一类事”增值服务 打造外资高质量发展生态》") == (
        "《平湖市推进涉外“一类事”增值服务 打造外资高质量发展生态》"
    )


@pytest.mark.parametrize("line", ["让他感受到能在平湖不断发展。", "高质量发展的重要原因。”", "如何?", "怎么样？”"])
def test_sentence_ends_full_width_and_ascii(line):
    assert ends_sentence(line)


@pytest.mark.parametrize("line", ["会上，上海生物医药协会作主旨演讲，", "平湖的中小企业发展正处", "“五个始终铭记”，"])
def test_unfinished_sentences(line):
    assert not ends_sentence(line)


# --- bylines -----------------------------------------------------------------

def credits(text):
    return [(c.name, c.role) for c in parse_byline(text).credits]


def test_byline_with_reporter_and_correspondent():
    assert credits("■记者 林旭东 通讯员 王晨慧") == [("林旭东", "reporter"), ("王晨慧", "correspondent")]


def test_spaced_role_words_and_names():
    assert credits("■记 者 胡佳英 林旭东 通讯员 徐冰艳 张丹燕") == [
        ("胡佳英", "reporter"), ("林旭东", "reporter"), ("徐冰艳", "correspondent"), ("张丹燕", "correspondent"),
    ]
    assert credits("■摄影 王 强 纪亚千") == [("王强", "photographer"), ("纪亚千", "photographer")]


def test_trainee_and_cartoonist_roles():
    assert credits("■记 者 胡佳英 见习记者 张宇青") == [("胡佳英", "reporter"), ("张宇青", "trainee_reporter")]
    assert credits("■记者 李雨婷 黄雨欣 通讯员 曹金凤 漫画 李泽峰")[-1] == ("李泽峰", "cartoonist")


def test_pen_name_and_institution():
    assert credits("■言成声") == [("言成声", "author")]
    assert credits("■本报评论员") == [("本报评论员", "commentator")]


def test_split_byline_is_joined():
    page = parse_page("■记 者 胡佳英\n见习记者 张宇青\n\n本报讯 昨天，在林埭镇徐家埭村，一个个钢结构大棚拔地而起。\n\n抱团项目\n")
    assert [(c.name, c.role) for c in page.articles[0].credits] == [("胡佳英", "reporter"), ("张宇青", "trainee_reporter")]


def test_byline_continuation_lines():
    assert is_byline_continuation("见习记者 张宇青")
    assert is_byline_continuation("漫画 李泽峰")
    assert not is_byline_continuation("记者从市商务局了解到，我市将在")


# --- masthead and page header --------------------------------------------------

MASTHEAD = [
    "本社常年法律顾问/浙江天卓律师事务所 孙伟强律师 电话0573-85286100编辑/戴 琰 电话/85018195 版式/李春霞 校对/张 真 "
    "本报及所属新媒体刊登的所有原创内容，未经本报授权，一律不得复制、转载、摘编。",
    "热线：85858110平湖网：www.ph2009.com数字报：http://szb.zjphol.com 新闻热线：85858110",
    "JIAXING农历癸卯年二月十九 总第5134期",
    "嘉兴日报社 中共平湖市委 联办",
    "2023年3月10日◆星期五",
    "叠C",
    "平湖版",
    "DAILY",
]


def test_masthead_lines_are_recognised():
    assert all(is_masthead_line(line) for line in MASTHEAD)
    assert not is_masthead_line("本报讯 昨天上午，我市召开")
    assert not is_masthead_line("■记者 林旭东")


def test_masthead_is_recorded_in_full():
    record = parse_masthead(MASTHEAD)
    assert record.date == datetime.date(2023, 3, 10)
    assert (record.weekday, record.lunar_date, record.issue_number) == ("星期五", "癸卯年二月十九", 5134)
    assert (record.section_letter, record.edition) == ("C", "平湖版")
    assert (record.editor, record.designer, record.proofreader) == ("戴琰", "李春霞", "张真")
    assert record.fields["publishers"] == "嘉兴日报社 中共平湖市委 联办"
    assert record.fields["legal_counsel"].startswith("浙江天卓律师事务所 孙伟强律师")
    assert record.fields["notice"].endswith("一律不得复制、转载、摘编。")
    assert record.fields["hotline"] == record.fields["news_hotline"] == "85858110"
    assert record.fields["website"] == "www.ph2009.com"
    assert record.fields["epaper"] == "http://szb.zjphol.com"


def test_impossible_masthead_date_is_not_invented():
    record = parse_masthead(["2023年2月30日◆星期五"])
    assert record.date is None and record.fields["invalid_date"] == "2023年2月30日"


@pytest.mark.parametrize(
    "line, expected",
    [("经济创新 深度 11", ("经济创新 深度", "11")), ("经济创新深深 度度11", ("经济创新 深度", "11")), ("要闻 C2", ("要闻", "C2"))],
)
def test_page_header(line, expected):
    assert parse_page_header(line) == expected


def test_text_is_not_a_page_header():
    assert parse_page_header("嘉兴市政协主席陈利众来平走访政协委员") is None
    assert parse_page_header("创新攻坚2024") is None


# --- headlines ---------------------------------------------------------------

def heads(*specs):
    """("text", new_block, doubled, marked) tuples into HeadLines."""
    out = []
    for n, spec in enumerate(specs):
        spec = spec if isinstance(spec, tuple) else (spec,)
        text, new_block, doubled, marked = list(spec) + [None, True, False, False][len(spec):]
        out.append(HeadLine(text=text, lines=[n], doubled=doubled, marked_title=marked, new_block=new_block))
    return out


def test_dash_opens_subtitle():
    h = assign(heads("五大“根基”筑实璀璨明珠坚强底座", ("——2023党建强基工程全新启航", False)))
    assert (h.title, h.subtitle, h.uncertain) == ("五大“根基”筑实璀璨明珠坚强底座", "——2023党建强基工程全新启航", "")


def test_speech_verb_marks_kicker_and_wrapped_parts_join():
    h = assign(heads(
        "周军波在“腾笼换鸟”整治提升", ("暨“厂中厂”整治工作推进会上强调", False), "推进“腾笼换鸟”", ("实现“凤凰涅槃”", False),
    ))
    assert h.kicker == "周军波在“腾笼换鸟”整治提升暨“厂中厂”整治工作推进会上强调"
    assert h.title == "推进“腾笼换鸟” 实现“凤凰涅槃”"
    assert h.subtitle == ""


def test_bold_line_is_the_main_title():
    h = assign(heads("张江长三角科技城平湖园持续优化营商环境", ("“两面锦旗”唱响营商环境“创优曲”", True, True)))
    assert (h.kicker, h.title) == ("张江长三角科技城平湖园持续优化营商环境", "“两面锦旗”唱响营商环境“创优曲”")


def test_marked_heading_is_the_title_and_what_follows_the_subtitle():
    h = assign(heads(("不断擦亮高质量外资“金名片”", True, False, True), "平湖实际利用外资持续走在全省前列"))
    assert (h.title, h.subtitle) == ("不断擦亮高质量外资“金名片”", "平湖实际利用外资持续走在全省前列")


def test_known_column_and_spaced_kicker():
    h = assign(heads("砥砺实干 镇在突破", "精准帮扶助企拔节生长", "新仓去年“小升规”“新升规”数量全市第一"), frozenset({"砥砺实干 镇在突破"}))
    assert (h.column, h.title, h.subtitle) == ("砥砺实干 镇在突破", "精准帮扶助企拔节生长", "新仓去年“小升规”“新升规”数量全市第一")
    h = assign(heads("链动集群 提质升级", "平湖经开外资企业跑出“加速度”"))
    assert (h.kicker, h.title) == ("链动集群 提质升级", "平湖经开外资企业跑出“加速度”")


def test_two_parts_without_evidence_are_flagged():
    h = assign(heads("春节“菜篮子”货足价稳", "多部门协同守牢安全“年味”"))
    assert (h.title, h.subtitle) == ("春节“菜篮子”货足价稳", "多部门协同守牢安全“年味”")
    assert h.uncertain


def test_title_line_joins():
    assert join_title_lines(["平湖营商环境优化案例", "上嘉兴创新榜"]) == "平湖营商环境优化案例上嘉兴创新榜"
    assert join_title_lines(["抱团项目", "共富大棚"]) == "抱团项目 共富大棚"
    assert join_title_lines(["市委理论学习中心组", "学习（扩大）会议举行"]) == "市委理论学习中心组学习（扩大）会议举行"
    assert join_title_lines(["开放破局", "擦亮外资集聚金名片"]) == "开放破局 擦亮外资集聚金名片"


# --- body ----------------------------------------------------------------------

def lines(*texts, start=0):
    return [Line(start + n, t, t) for n, t in enumerate(texts)]


def test_paragraph_runs_across_a_column_break():
    body = BodyBuilder()
    body.set_width(lines("会上，上海生物医药协会作主旨演讲，", "博格隆（浙江）生物技术有限公司和恒"))
    body.add_chunk(lines("推介会现场观看了平湖投资环境", "会上，上海生物医药协会作主旨演讲，"))
    body.add_chunk(lines("博格隆（浙江）生物技术有限公司和恒", "峰铭成生物科技（上海）有限公司作交", "流发言。"))
    assert [b.text for b in body.finish()] == [
        "推介会现场观看了平湖投资环境会上，上海生物医药协会作主旨演讲，博格隆（浙江）生物技术有限公司和恒峰铭成生物科技（上海）有限公司作交流发言。"
    ]


def test_short_sentence_end_inside_a_chunk_ends_the_paragraph():
    body = BodyBuilder()
    chunk = lines("以10.4%的企业数贡献了31%的利润", "总额，名副其实成了推动高质量发展", "的生力军、引领中小企业创新发展的", "“领头雁”。", "当下，平湖的中小企业发展正处")
    body.set_width(chunk)
    body.add_chunk(chunk)
    body.add_chunk(lines("在由转型发展向创新发展加速迈进的", "关键时期。"))
    texts = [b.text for b in body.finish()]
    assert texts[0].endswith("“领头雁”。") and texts[1].startswith("当下，平湖的中小企业发展正处在由转型")


def test_subhead_glued_above_a_paragraph_is_split_off():
    body = BodyBuilder()
    body.set_width(lines("党建强，则根基稳；根基稳，则社", "会兴。如何为打造中国式现代化的"))
    body.add_chunk(lines("中心城市璀璨明珠夯实党建基础。"))
    body.add_chunk(lines("加强创新推进，构建大党建新格局", "持续六年推进的铁军打造工"), next_text="程，为金平湖新崛起提供了坚强的")
    body.add_chunk(lines("程，为金平湖新崛起提供了坚强的", "队伍保证。"))
    blocks = body.finish()
    assert [(b.kind, b.text) for b in blocks] == [
        ("p", "中心城市璀璨明珠夯实党建基础。"),
        ("subhead", "加强创新推进，构建大党建新格局"),
        ("p", "持续六年推进的铁军打造工程，为金平湖新崛起提供了坚强的队伍保证。"),
    ]


def test_ordinary_first_lines_are_not_subheads():
    # Couplet-shaped but indented, or running on into the next line.
    assert continues_word("要发挥部门力量，立足部门自", "身职能优势，加大执法力度")
    assert not continues_word("突出重点保障，夯实发展之基", "党建强基，重点在“基”")
    body = BodyBuilder()
    body.set_width(lines("本报讯 近日，嘉兴市公", "布营商环境优化提升“一号改"))
    body.add_chunk(lines("今年以来，市发改局认真", "贯彻落实营商环境优化提升"), next_text="“一号改革工程”总体部署，全")
    body.add_chunk(lines("“一号改革工程”总体部署。"))
    assert [b.kind for b in body.finish()] == ["p"]


def test_subhead_shapes():
    assert is_couplet("加强创新推进，构建大党建新格局")
    assert not is_couplet("针对未来产业发展，平湖已率")
    assert is_subhead_text("首位一体塑造发展优势")
    assert not is_subhead_text("“小升规”企业对经济增长的")
    assert not is_subhead_text("立足一体化发展新优势,平湖")


# --- elements ------------------------------------------------------------------

def test_app_promotion_is_noise_anywhere():
    kinds = [e.kind for e in split_elements("正文第一句。\n 平湖发布 今平湖客户端\n\n正文第二句。")]
    assert kinds == ["text", "noise", "text"]


def test_continuation_marks():
    marks = [e.cont for e in split_elements("下转C2版\n\n(下转2版)\n\n（上接1版）") if e.kind == "cont"]
    assert marks == [("下转", "C2"), ("下转", "2"), ("上接", "1")]


def test_headline_glued_to_a_paragraph_is_cut_off():
    elements = split_elements("行稳致远。\n\n半年答卷 可圈可点“平湖经开的发展史，是一部\n不断改革开放的历史。")
    assert [(e.kind, e.first) for e in elements][1:3] == [("head", "半年答卷 可圈可点"), ("text", "“平湖经开的发展史，是一部")]


def test_dateline_is_never_a_glued_headline():
    elements = split_elements("本报讯 每场专场推介，都在为\n平湖的产业发展集聚力量。")
    assert [e.kind for e in elements] == ["text"]


def test_headlike_needs_no_sentence():
    assert is_headlike(lines("平湖营商环境优化案例", "上嘉兴创新榜"))
    assert not is_headlike(lines("将来平湖能够持续壮大生物医药产", "业，形成更加完善的产业体系，吸引更", "多的生物医药企业进入平湖。"))
    assert not is_headlike(lines("“五个始终铭记”，"))


# --- reading orders and whole articles ----------------------------------------

BYLINE_FIRST = """■记者 林旭东

本报讯 每场专场推介，都在为平湖的产业发展集聚力量。

厚植生物医药产业发展土壤

■记者 黄雨欣

本报讯 昨天上午，市委理论学习中心组学习会议举行。

市委理论学习中心组学习会议举行

■记者 李雨婷
"""

HEADLINE_FIRST = """## 嘉兴市政协主席陈利众来平走访政协委员

■记者 荣怡婷

本报讯 昨天下午,嘉兴市政协主席陈利众带队来平走访。

## 平湖数字乡村获省级“优秀”

■记者 张宇青

本报讯 近日,数字乡村省级试点中期评估结果发布,我市获评优秀。
"""


def test_byline_first_order_closes_articles_with_their_headline():
    page = parse_page(BYLINE_FIRST)
    assert [(a.title, [c.name for c in a.credits]) for a in page.articles] == [
        ("厚植生物医药产业发展土壤", ["林旭东"]),
        ("市委理论学习中心组学习会议举行", ["黄雨欣"]),
    ]


def test_orphan_byline_is_kept_and_flagged_not_attached():
    page = parse_page(BYLINE_FIRST)
    assert [o.text for o in page.orphan_bylines] == ["■记者 李雨婷"]
    assert all("李雨婷" not in [c.name for c in a.credits] for a in page.articles)
    assert any("李雨婷" in reason for reason in page.review_reasons)
    assert "■记者 李雨婷" in page.leftover_text


def test_headline_first_order():
    page = parse_page(HEADLINE_FIRST)
    assert [(a.title, a.dateline, a.body) for a in page.articles] == [
        ("嘉兴市政协主席陈利众来平走访政协委员", "本报讯", "昨天下午,嘉兴市政协主席陈利众带队来平走访。"),
        ("平湖数字乡村获省级“优秀”", "本报讯", "近日,数字乡村省级试点中期评估结果发布,我市获评优秀。"),
    ]


def test_photo_news_with_caption_credit_and_title():
    page = parse_page("冬日“练”歌\n\n近日,在市区六里塘河道内,少体校的学生们开启了训练模式。\n\n■摄影 王强\n")
    article = page.articles[0]
    assert (article.kind, article.title, article.body) == ("photo", "冬日“练”歌", "近日,在市区六里塘河道内,少体校的学生们开启了训练模式。")
    assert [(c.name, c.role) for c in article.credits] == [("王强", "photographer")]


def test_bom_and_crlf_are_read():
    page = parse_page("\ufeff## 标题一则\r\n\r\n■记者 张宇青\r\n\r\n本报讯 正文。\r\n")
    assert page.articles[0].title == "标题一则" and page.articles[0].credits[0].name == "张宇青"


def test_text_with_no_structure_is_kept_and_flagged():
    page = parse_page("一段没有标题也没有署名的文字，可能是上一版的续文。")
    assert page.articles[0].body == "一段没有标题也没有署名的文字，可能是上一版的续文。"
    assert page.articles[0].review_reasons


def test_empty_page():
    page = parse_page("\n\n  \n")
    assert page.articles == [] and page.leftover == []


def test_continuation_notes_glued_to_text():
    elements = split_elements("（上接1版）发展的最终目的是什么？\n\n何苗的想法很简单，(下转2版)")
    assert [(e.kind, e.first if e.kind == "text" else e.cont) for e in elements] == [
        ("cont", ("上接", "1")), ("text", "发展的最终目的是什么？"), ("text", "何苗的想法很简单，"), ("cont", ("下转", "2")),
    ]


def test_continued_article_on_a_later_page():
    page = parse_page("（上接1版）发展的最终目的是什么？何苗的想法很简单。\n\n## 平湖数字乡村获省级“优秀”\n\n■记者 张宇青\n\n本报讯 近日,我市获评优秀。")
    first, second = page.articles
    assert (first.continued_from, first.body) == ("1", "发展的最终目的是什么？何苗的想法很简单。")
    assert first.review_reasons  # no headline of its own: staff check it
    assert (second.title, second.continued_from) == ("平湖数字乡村获省级“优秀”", "")
