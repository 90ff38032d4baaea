"""The five sample pages, read as a careful archivist reads the printed page:
every article with its headline parts, credits and roles, kind, body start
and end, continuation; no invented articles; nothing of the source lost."""

import re
from collections import Counter
from pathlib import Path

import pytest

from articles.parsing import parse_page

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
R, C, T, P, K, A = "reporter", "correspondent", "trainee_reporter", "photographer", "cartoonist", "author"


def page(stem):
    (path,) = SAMPLES.glob(f"{stem}_*.txt")
    return parse_page(path.read_text(encoding="utf-8")), path.read_text(encoding="utf-8")


# position: (kind, column, kicker, title, subtitle, credits, body starts, body ends, continued_to)
EXPECTED = {
    "000": [
        ("news", "", "", "厚植生物医药产业发展土壤", "平湖赴上海开展生物医药产业专场推介", [("林旭东", R)],
         "每场专场推介，都在为平湖", "助力平湖产业延链、建链、强链。", ""),
        ("commentary", "", "", "释放“小巨人”的创新能量", "", [("言成声", A)],
         "落户平湖经济技术开发区的博格隆", "在推进创新驱动发展中闯出新路子。", ""),
        ("news", "", "", "平湖营商环境优化案例上嘉兴创新榜", "", [("杨晨燕", R)],
         "近日，嘉兴市公布营商环境", "积极推动平湖本土企业参与外资供应链创新链。", ""),
        ("news", "", "", "“暑期乐购消费券”今起发放", "", [],
         "昨天，记者从市商务局了解到", "推动消费市场稳步增长。", ""),
        ("news", "", "", "市委理论学习中心组学习（扩大）会议举行", "", [("黄雨欣", R)],
         "昨天上午，市委理论学习中心组", "为国防和军队现代化建设提供坚强的服务保障。", ""),
        ("photo", "", "", "抱团项目 共富大棚", "", [("胡佳英", R), ("张宇青", T), ("王强", P), ("纪亚千", P)],
         "昨天，在林埭镇徐家埭村", "预计每年将为各村增收10万元以上。", ""),
        ("news", "", "", "我市一建设项目获省优", "", [],
         "近日，浙江省住房和城乡建设厅", "总建筑面积31176.18平方米。", ""),
        ("news", "", "仲旭东在调研全市服务业工作时强调", "全面推动服务业发展提档升级 为平湖高质量发展注入强劲动力", "",
         [("杨晨燕", R)], "昨天下午，市委书记仲旭东带队", "奋力推动平湖服务业发展再创佳绩。", ""),
    ],
    "001": [
        ("feature", "", "", "五大“根基”筑实璀璨明珠坚强底座", "——2023党建强基工程全新启航", [("李雨婷", R)],
         "党建强，则根基稳；根基稳，则社会兴。", "要求不断深化实践“五个始终铭记”，", "C2"),
        ("feature", "", "", "未来产业：抢占风口大有可为", "——解码平湖“1212”现代产业体系（四）",
         [("胡佳英", R), ("林旭东", R), ("徐冰艳", C), ("张丹燕", C)],
         "未来产业潜力十足、前景广阔", "完成生命健康产业集群“从无到有”的关键跨越。", ""),
        ("news", "", "张江长三角科技城平湖园持续优化营商环境", "“两面锦旗”唱响营商环境“创优曲”", "",
         [("李雨婷", R), ("顾秋叶", C)], "“为企业排忧解难，疫情无情人有情”", "为经济社会的高质量发展提供更多服务和保障。", ""),
        ("news", "", "周军波在“腾笼换鸟”整治提升暨“厂中厂”整治工作推进会上强调", "推进“腾笼换鸟” 实现“凤凰涅槃”", "",
         [("林旭东", R)], "昨天上午，我市召开“腾笼换鸟”", "清零地块的“腾笼换鸟”整治提升工作。", ""),
        ("commentary", "", "", "以干部敢为跑出争先新姿态", "", [("言成声", A)],
         "近日举行的第111期创新学堂", "推动平湖经济社会高质量发展。", ""),
        ("photo", "", "", "黎族纺织文化展", "", [("王强", P)],
         "近日，由平湖博物馆和海南省博物馆主办", "展现了海南和平湖两地的纺织文化。", ""),
        ("news", "", "", "我市确定上半年预定兵员", "", [("林旭东", R)],
         "昨天下午，我市召开2023年上半年定兵会议。", "真正体现我市作为国家级双拥模范城的拥军优属传统。", ""),
    ],
    "002": [
        ("feature", "", "", "以开放视野塑造一体化新优势", "——2024年“六大攻坚行动”综述(一)", [("林旭东", R), ("陶嘉颖", C)],
         "顶层设计体现发展高度。", "”首位开放攻坚行动相关负责人说。", ""),
        ("photo", "", "", "冬日“练”歌", "", [("王强", P)],
         "近日,在市区六里塘河道内", "动作整齐,奋勇向前。", ""),
        ("news", "", "链动集群 提质升级", "平湖经开外资企业跑出“加速度”", "", [("胡佳英", R), ("查放", C), ("郑凯欣", C)],
         "高质量外资企业,跑出发展“加速度”。", "”平湖经济技术开发区管委会主任王学斌说。", ""),
        ("news", "砥砺实干 镇在突破", "", "精准帮扶助企拔节生长", "新仓去年“小升规”“新升规”数量全市第一",
         [("荣怡婷", R), ("陈明远", C)], "近日,一场针对2024年度新升规", "进一步助力小微企业发展壮大。”徐春晓说。", ""),
        ("news", "", "", "擦亮“浙江机床看平湖”金字招牌", "去年全市机床产业规上产值120.4亿元,同比增15.8%",
         [("胡佳英", R), ("曹金凤", C)], "中国机床看浙江,浙江机床看平湖。", "等省级产业集群培育名单。", ""),
        ("news", "", "", "春节“菜篮子”货足价稳", "多部门协同守牢安全“年味”", [("张宇青", R), ("朱敏敏", C)],
         "随着春节的脚步临近", "守护“舌尖上的年味”安全。", ""),
    ],
    "003": [
        ("news", "", "", "不断擦亮高质量外资“金名片”", "平湖实际利用外资持续走在全省前列", [("林旭东", R), ("王晨慧", C)],
         "平湖是高质量外资集聚地", "也让这张“金名片”越擦越亮。", ""),
        ("news", "", "", "嘉兴市政协主席陈利众来平走访政协委员", "", [("荣怡婷", R)],
         "昨天下午,嘉兴市政协主席陈利众", "通报了2023年嘉兴市经济社会发展情况和政协工作。", ""),
        ("news", "", "", "平湖数字乡村获省级“优秀”", "", [("张宇青", R)],
         "近日,数字乡村省级试点中期评估结果发布", "提升了群众获得感与幸福感。", ""),
        ("commentary", "", "", "实干担当立潮头", "——三论学习贯彻市委十五届四次全会精神", [("本报评论员", "commentator")],
         "新年首个工作日,“项目突破”攻坚行动投旗出征", "在勇当先行者谱写新篇章中彰显璀璨明珠新担当。", ""),
        ("interview", "一把手访谈", "", "勇挑大梁担使命 提质进位走前列",
         "——访市委常委、平湖经济技术开发区(钟埭街道)党工委书记何苗",
         [("李雨婷", R), ("黄雨欣", R), ("曹金凤", C), ("李泽峰", K)],
         "开局就奔跑,起步即冲刺。", "发展的最终目的是什么?何苗的想法很简单,", "2"),
    ],
    "004": [
        ("feature", "", "", "创新奋进，构筑高质量发展新优势", "——三个“一号工程”的平湖经开新答卷", [("胡佳英", R), ("曹金凤", C)],
         "开放破局 擦亮外资集聚金名片", "轩田半年时间产值超过去一整年，展现数字经济高成长性特点", ""),
        ("sidebar", "采访札记", "", "半年答卷 可圈可点", "", [("黄雨欣", A)],
         "今年新春第一会，浙江吹响了实施创新、改革、开放", "让经济之轮驶向更美好的未来。", ""),
    ],
}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_every_article_as_printed(stem):
    parsed, _ = page(stem)
    got = [
        (a.kind, a.column, a.kicker, a.title, a.subtitle, [(c.name, c.role) for c in a.credits], a.body, a.continued_to)
        for a in parsed.articles
    ]
    assert len(got) == len(EXPECTED[stem]), [g[3] for g in got]
    for article, expected in zip(got, EXPECTED[stem]):
        kind, column, kicker, title, subtitle, credits, body, continued_to = article
        e_kind, e_column, e_kicker, e_title, e_subtitle, e_credits, starts, ends, e_cont = expected
        assert (kind, column, kicker, title, subtitle, credits, continued_to) == (
            e_kind, e_column, e_kicker, e_title, e_subtitle, e_credits, e_cont
        )
        assert body.startswith(starts), (title, body[:40])
        assert body.endswith(ends), (title, body[-40:])


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_nothing_of_the_source_is_lost(stem):
    """Every non-blank source line belongs to an article or the page leftover.

    A line shared by two owners is only allowed where a headline was glued to
    the next paragraph and cut apart."""
    parsed, text = page(stem)
    owners = Counter()
    for article in parsed.articles:
        owners.update(set(article.lines))
    owners.update(n for n, _ in parsed.leftover)
    source = text.split("\n")
    nonblank = {n for n, line in enumerate(source) if line.strip()}
    assert nonblank == set(owners)
    for number, count in owners.items():
        if count > 1:
            titles = [a.title for a in parsed.articles if number in a.lines]
            assert any(source[number].strip().startswith(t) for t in titles), source[number]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_text_of_every_article_comes_from_its_source_lines(stem):
    """No invented text: each body paragraph is made of its own source lines."""
    parsed, text = page(stem)
    source = text.split("\n")
    squash = lambda s: re.sub(r"\s", "", s)
    for article in parsed.articles:
        own = squash("".join(source[n] for n in article.lines))
        for block in article.blocks:
            # Repaired bold text is shorter than its source; check it char by char.
            assert all(ch in own for ch in squash(block.text)), block.text[:30]


def test_dateline_is_kept_apart_from_the_body():
    parsed, _ = page("000")
    assert parsed.articles[0].dateline == "本报讯"
    assert not parsed.articles[0].body.startswith("本报讯")


def test_front_page_masthead_and_page_staff():
    parsed, _ = page("001")
    m = parsed.masthead
    assert (str(m.date), m.issue_number, m.lunar_date, m.weekday) == ("2023-03-10", 5134, "癸卯年二月十九", "星期五")
    assert (m.editor, m.designer, m.proofreader, parsed.label, parsed.edition) == ("戴琰", "李春霞", "张真", "C1", "平湖版")
    assert "本社常年法律顾问/浙江天卓律师事务所 孙伟强律师 电话0573-85286100" in parsed.leftover_text


def test_inline_subheads_are_kept_in_place():
    parsed, _ = page("001")
    blocks = parsed.articles[0].blocks
    subheads = [b.text for b in blocks if b.kind == "subhead"]
    assert subheads == ["加强创新推进，构建大党建新格局", "突出重点保障，夯实发展之基"]
    after = blocks[[b.text for b in blocks].index("加强创新推进，构建大党建新格局") + 1]
    assert after.text.startswith("持续六年推进的铁军打造工程，为金平湖新崛起")
    parsed, _ = page("003")
    assert [b.text for b in parsed.articles[4].blocks if b.kind == "subhead"] == [
        "聚焦提档升级,打造更具竞争力的产业体系", "强化服务提升,打造更具吸引力的北融新城", "立足共同富裕,打造更具辐射力的惠民高地",
    ]


def test_feature_with_lead_sidebar_and_sections_printed_after_their_text():
    parsed, _ = page("004")
    main, sidebar = parsed.articles
    assert (parsed.label, parsed.section) == ("11", "经济创新 深度")
    assert main.lead.startswith("核心提示：2023年，是平湖经开跃升国家级开发区的第10个年头。")
    assert main.lead.endswith("全力构筑高质量发展新优势。") and main.lead.count("\n\n") == 1
    assert sidebar.parent_position == main.position
    sections = [b.text for b in main.blocks if b.kind == "subhead"]
    assert sections == ["开放破局 擦亮外资集聚金名片", "创新破难 打造数字经济新高地", "改革破题 提升营商环境软实力"]
    texts = [b.text for b in main.blocks]
    # Each section head now stands before the text it headed in print.
    assert texts[texts.index("创新破难 打造数字经济新高地") + 5].startswith("今年1至6月实现产值1.5亿元")
    assert texts[texts.index("改革破题 提升营商环境软实力") + 1].startswith("今年6月，嘉吉餐饮创新生产基地")
    assert "在平湖经开，企业增资成为一道独特的“风景”，也成为众多企业做大做强的“不二选择”。" in main.body
    assert [b.text for b in main.blocks if b.kind == "caption"][:2] == ["今年6月，嘉吉新项目盛大开业", "夯实产业发展根基"]
    assert any("重复提取" in r for r in main.review_reasons) and any("小标题" in r for r in main.review_reasons)


def test_orphan_and_guessed_bylines_are_said_so():
    parsed, _ = page("000")
    assert [o.text for o in parsed.orphan_bylines] == ["■记者 李雨婷"]
    parsed, _ = page("001")
    assert parsed.orphan_bylines == []
    assert any("按位置归属" in r for r in parsed.articles[-1].review_reasons)


def test_uncertain_headlines_are_flagged_for_review():
    parsed, _ = page("002")
    flagged = [a.title for a in parsed.articles if any("标题结构不确定" in r for r in a.review_reasons)]
    assert flagged == ["精准帮扶助企拔节生长", "擦亮“浙江机床看平湖”金字招牌", "春节“菜篮子”货足价稳"]
