from datetime import date

import pytest

from articles.browse.dates import month_grid, parse_typed_date, weekday_cn
from articles.browse.lunar import lunar_date_cn


@pytest.mark.parametrize("typed", [
    "2023-03-10", "2023/3/10", "2023.03.10", "20230310", "2023年3月10日", " 2023年03月10日 ", "２０２３－０３－１０",
])
def test_typed_dates_in_common_forms(typed):
    assert parse_typed_date(typed) == date(2023, 3, 10)


@pytest.mark.parametrize("typed", ["", "2023-02-30", "10/03/2023", "昨天", "2023-13-01", "202331"])
def test_impossible_or_unreadable_dates_are_none(typed):
    assert parse_typed_date(typed) is None


def test_month_grid_weeks_start_on_monday_and_mark_issue_days():
    grid = month_grid(2023, 3, {date(2023, 3, 10): "", date(2023, 4, 3): ""})
    assert grid.weeks[0][0].date == date(2023, 2, 27)  # a Monday, outside the month
    assert not grid.weeks[0][0].in_month
    marked = [d.date for week in grid.weeks for d in week if d.has_issue]
    assert marked == [date(2023, 3, 10)]  # 3 April shows in no March cell as an issue
    assert grid.issue_count == 1
    assert weekday_cn(date(2023, 3, 10)) == "星期五"


@pytest.mark.parametrize("day, printed", [
    (date(2023, 3, 10), "农历癸卯年二月十九"),  # as the masthead of sample 001 prints it
    (date(2023, 4, 1), "农历癸卯年闰二月十一"),  # 2023 had a leap second month
    (date(2023, 1, 22), "农历癸卯年正月初一"),
    (date(2024, 1, 5), "农历癸卯年冬月廿四"),
    (date(2025, 1, 14), "农历甲辰年腊月十五"),
    (date(2024, 2, 29), "农历甲辰年正月二十"),
])
def test_lunar_date_written_like_the_masthead(day, printed):
    assert lunar_date_cn(day) == printed


def test_lunar_date_outside_the_tables_is_empty():
    assert lunar_date_cn(date(1899, 12, 31)) == "" and lunar_date_cn(date(2100, 1, 1)) == ""


def test_printed_lunar_date_wins_over_the_computed_one(imported_samples):
    from articles.browse.lunar import issue_lunar_date
    from articles.models import Issue

    printed = Issue.objects.get(date=date(2023, 3, 10))
    assert printed.lunar_date  # the importer read it from the masthead
    assert issue_lunar_date(printed) == "农历癸卯年二月十九" == lunar_date_cn(printed.date)
    unprinted = Issue.objects.get(date=date(2024, 1, 5))
    assert unprinted.lunar_date == "" and issue_lunar_date(unprinted) == "农历癸卯年冬月廿四"
