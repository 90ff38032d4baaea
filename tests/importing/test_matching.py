from articles.importing.matching import Candidate, body_overlap, match_articles

BODY_A = "平湖经开外资企业跑出加速度，今年以来实际利用外资同比增长百分之十六。"
BODY_B = "春节菜篮子货足价稳，市场监管部门加强巡查，蔬菜价格保持平稳。"
BODY_C = "精准帮扶助企拔节生长，税务部门上门服务，帮助企业用足用好政策。"


def old(key, position, title, body, edited=()):
    return Candidate(key, position, title, body, frozenset(edited))


def new(key, position, title, body):
    return Candidate(key, position, title, body)


def test_same_position_and_title():
    pairs = match_articles([old("a", 1, "甲", BODY_A), old("b", 2, "乙", BODY_B)],
                           [new(0, 1, "甲", BODY_A), new(1, 2, "乙", BODY_B)])
    assert pairs == {0: "a", 1: "b"}


def test_an_inserted_article_does_not_shift_the_pairs():
    pairs = match_articles([old("a", 1, "甲", BODY_A), old("b", 2, "乙", BODY_B)],
                           [new(0, 1, "新", BODY_C), new(1, 2, "甲", BODY_A), new(2, 3, "乙", BODY_B)])
    assert pairs == {1: "a", 2: "b"}


def test_edited_title_is_found_by_its_body():
    pairs = match_articles([old("a", 1, "人工改过的标题", BODY_A, ["title"]), old("b", 2, "乙", BODY_B)],
                           [new(0, 1, "乙", BODY_B), new(1, 2, "甲", BODY_A + "补充一句。")])
    assert pairs == {0: "b", 1: "a"}


def test_identical_titles_in_place_stay_in_place():
    pairs = match_articles([old("a", 1, "图片新闻", BODY_A), old("b", 2, "图片新闻", BODY_B)],
                           [new(0, 1, "图片新闻", BODY_A), new(1, 2, "图片新闻", BODY_B)])
    assert pairs == {0: "a", 1: "b"}


def test_ambiguous_titles_fall_back_to_bodies():
    pairs = match_articles([old("a", 1, "图片新闻", BODY_A), old("b", 2, "图片新闻", BODY_B)],
                           [new(0, 3, "图片新闻", BODY_B), new(1, 4, "图片新闻", BODY_A)])
    assert pairs == {0: "b", 1: "a"}


def test_same_place_unrelated_article_does_not_inherit_staff_edits():
    pairs = match_articles([old("a", 1, "甲", BODY_A, ["kicker"])], [new(0, 1, "乙", BODY_B)])
    assert pairs == {}


def test_same_place_unedited_article_is_reused():
    pairs = match_articles([old("a", 1, "甲", BODY_A)], [new(0, 1, "乙", BODY_B)])
    assert pairs == {0: "a"}


def test_pinned_segmentation_never_pairs_by_position_alone():
    # After staff merged 乙 into 甲, the parse's 乙 sits where 丙 now is: 丙 must not take its text.
    stored = [old("a", 1, "甲", BODY_A + BODY_B, ["body"]), old("c", 2, "丙", BODY_C)]
    parsed = [new(0, 1, "甲", BODY_A), new(1, 2, "乙", BODY_B), new(2, 3, "丙", BODY_C)]
    assert match_articles(stored, parsed, by_position=False) == {0: "a", 2: "c"}
    assert match_articles([old("c", 2, "丙", BODY_C)], [new(1, 2, "乙", BODY_B)], by_position=False) == {}


def test_each_old_article_is_used_once():
    pairs = match_articles([old("a", 1, "甲", BODY_A)], [new(0, 1, "甲", BODY_A), new(1, 2, "甲", BODY_A)])
    assert list(pairs.values()) == ["a"]


def test_body_overlap_ignores_rewrapping():
    assert body_overlap(BODY_A, BODY_A.replace("，", "，\n")) == 1.0
    assert body_overlap(BODY_A, BODY_B) < 0.2
    assert body_overlap("", BODY_A) == 0.0
