from datetime import date

import pytest

from articles.browse.dates import month_grid, parse_typed_date, weekday_cn


@pytest.mark.parametrize("typed", [
    "2023-03-10", "2023/3/10", "2023.03.10", "20230310", "2023年3月10日", " 2023年03月10日 ", "２０２３－０３－１０",
])
def test_typed_dates_in_common_forms(typed):
    assert parse_typed_date(typed) == date(2023, 3, 10)


@pytest.mark.parametrize("typed", ["", "2023-02-30", "10/03/2023", "昨天", "2023-13-01", "202331"])
def test_impossible_or_unreadable_dates_are_none(typed):
    assert parse_typed_date(typed) is None


def test_month_grid_weeks_start_on_monday_and_mark_issue_days():
    grid = month_grid(2023, 3, {date(2023, 3, 10), date(2023, 4, 3)})
    assert grid.weeks[0][0].date == date(2023, 2, 27)  # a Monday, outside the month
    assert not grid.weeks[0][0].in_month
    marked = [d.date for week in grid.weeks for d in week if d.has_issue]
    assert marked == [date(2023, 3, 10)]  # 3 April shows in no March cell as an issue
    assert grid.issue_count == 1
    assert weekday_cn(date(2023, 3, 10)) == "星期五"
