"""The rules that keep false hits out of place mentions (articles/places/matching.py), on made-up text."""

from articles.places.matching import Matcher

NAMES = {"平湖": "city", "平湖市": "city", "新仓镇": "xc", "新仓": "xc", "独山港镇": "dsg", "独山港": "dsg",
         "独山港经济开发区": "zone", "当湖": "dh", "当湖街道": "dh", "林埭": "ld", "广陈镇": "gc"}
matcher = Matcher(NAMES, uncounted={"city"})


def test_the_longest_name_wins_and_nothing_overlaps():
    assert matcher.count("独山港经济开发区招商，独山港镇也在招商。") == {"zone": 1, "dsg": 1}
    assert matcher.count("新仓镇与新仓的企业") == {"xc": 2}


def test_the_city_is_matched_but_never_counted():
    assert matcher.count("平湖市委在平湖召开会议") == {}
    # ...and it does not hide a longer place that starts with it.
    assert Matcher({**NAMES, "平湖经济技术开发区": "pz"}, {"city"}).count("平湖经济技术开发区") == {"pz": 1}


def test_a_name_running_on_into_a_road_school_or_company_is_not_the_place():
    assert matcher.count("当湖路上的新仓中学旁，新仓公司") == {}
    assert matcher.count("当湖教育服务中心") == {}
    assert matcher.count("当湖街道办事处在当湖") == {"dh": 2}


def test_a_credited_persons_name_is_not_a_place():
    assert matcher.count("林埭介绍说，广陈镇的项目开工。", people=["林埭"]) == {"gc": 1}
    assert matcher.count("林埭的项目开工。") == {"ld": 1}


def test_positions_are_reported():
    assert matcher.find("在新仓镇") == [("xc", 1, 4)]
