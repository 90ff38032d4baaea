import datetime
from pathlib import Path

from articles.importing.dates import decide_date, normalize_label
from articles.importing.manifest import ManifestEntry
from articles.models import DateSource
from articles.parsing.records import MastheadRecord, PageRecord

D = datetime.date
UNDATED_TEXT = "本报讯 平湖经开外资企业跑出“加速度”。"
DATED_TEXT = "2023年6月1日，平湖召开大会。"


def entry(day, page="C1"):
    return ManifestEntry("a.txt", day, page, "", Path("/batch/manifest.csv"), 4)


def test_masthead_beats_manifest_and_says_when_they_disagree():
    record = PageRecord(masthead=MastheadRecord(date=D(2023, 3, 10)), label="C1")
    decision = decide_date(record, DATED_TEXT, entry(D(2023, 3, 11)), D(2020, 1, 1), "9")
    assert (decision.date, decision.source, decision.label) == (D(2023, 3, 10), DateSource.MASTHEAD, "C1")
    assert any("/batch/manifest.csv:4" in reason and "2023-03-11" in reason for reason in decision.reasons)


def test_masthead_and_manifest_agreeing_raise_nothing():
    record = PageRecord(masthead=MastheadRecord(date=D(2023, 3, 10)), label="C1")
    assert decide_date(record, DATED_TEXT, entry(D(2023, 3, 10))).reasons == []


def test_manifest_beats_option_and_estimate():
    decision = decide_date(PageRecord(), DATED_TEXT, entry(D(2023, 8, 18), "C1"), D(2020, 1, 1), "9")
    assert (decision.date, decision.source, decision.label, decision.reasons) == (
        D(2023, 8, 18), DateSource.MANIFEST, "C1", [])


def test_option_beats_estimate():
    decision = decide_date(PageRecord(), DATED_TEXT, None, D(2020, 1, 1), "9")
    assert (decision.date, decision.source, decision.label) == (D(2020, 1, 1), DateSource.OPTION, "9")


def test_manifest_without_date_falls_through_to_option():
    decision = decide_date(PageRecord(), DATED_TEXT, entry(None, "C2"), D(2020, 1, 1), "9")
    assert (decision.date, decision.source, decision.label) == (D(2020, 1, 1), DateSource.OPTION, "C2")


def test_estimate_is_flagged_with_its_basis():
    decision = decide_date(PageRecord(), DATED_TEXT, None)
    assert (decision.date, decision.source) == (D(2023, 6, 1), DateSource.ESTIMATED)
    assert len(decision.reasons) == 1 and "2023年6月1日" in decision.reasons[0]


def test_parser_estimate_is_used_first():
    record = PageRecord(estimated_date=D(2022, 2, 2), estimate_basis="解析器的理由")
    decision = decide_date(record, DATED_TEXT, None)
    assert decision.date == D(2022, 2, 2) and "解析器的理由" in decision.reasons[0]


def test_no_evidence_leaves_the_date_unknown_and_flagged():
    decision = decide_date(PageRecord(), UNDATED_TEXT, None)
    assert (decision.date, decision.source, decision.label) == (None, DateSource.UNKNOWN, "")
    assert decision.reasons


def test_printed_label_beats_manifest_page():
    decision = decide_date(PageRecord(label="11"), UNDATED_TEXT, entry(D(2023, 7, 20), "12"))
    assert decision.label == "11"
    assert any("12" in reason for reason in decision.reasons)
    assert decide_date(PageRecord(label="C1"), UNDATED_TEXT, entry(D(2023, 7, 20), "c01")).reasons == []


def test_labels_compare_as_printed_pages():
    assert normalize_label("C02版") == normalize_label("c2") == "C2"
    assert normalize_label("第11版") == "11"
    assert normalize_label("2") != normalize_label("C2")


# -- the page's neighbours in the same import folder -------------------------

def test_one_dated_neighbour_dates_a_page_whose_text_agrees():
    decision = decide_date(PageRecord(), "2023年6月1日，平湖召开大会。", None, neighbours={D(2023, 6, 3): "c1.txt"})
    assert (decision.date, decision.source) == (D(2023, 6, 3), DateSource.ESTIMATED)
    assert "c1.txt" in decision.reasons[0] and "2023-06-01" in decision.reasons[0]


def test_one_dated_neighbour_dates_a_page_with_no_evidence():
    decision = decide_date(PageRecord(), UNDATED_TEXT, None, neighbours={D(2023, 6, 3): "c1.txt"})
    assert (decision.date, decision.source) == (D(2023, 6, 3), DateSource.ESTIMATED)
    assert "正文无法推测" in decision.reasons[0]


def test_a_neighbour_the_text_contradicts_is_named_not_followed():
    decision = decide_date(PageRecord(), DATED_TEXT, None, neighbours={D(2023, 9, 30): "c1.txt"})
    assert decision.date == D(2023, 6, 1)
    assert "c1.txt" in decision.reasons[0] and "不符" in decision.reasons[0]


def test_a_folder_of_several_issues_says_nothing_about_one_page():
    neighbours = {D(2023, 6, 3): "a.txt", D(2023, 6, 4): "b.txt"}
    decision = decide_date(PageRecord(), UNDATED_TEXT, None, neighbours=neighbours)
    assert (decision.date, decision.source) == (None, DateSource.UNKNOWN)
