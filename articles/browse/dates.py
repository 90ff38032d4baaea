"""Dates as readers type and read them: Chinese formats and month grids.

The paper prints its dates in Chinese ("2023年3月10日"), readers type them in
whatever form is at hand, and the calendar needs weeks that start on Monday,
as Chinese wall calendars do.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

WEEKDAYS = "一二三四五六日"

# Year, month and day separated by anything that is not a digit, or run
# together as 20230310.
_SEPARATED = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def parse_typed_date(text):
    """A date from a reader's input, or None when it is not a real date."""
    text = (text or "").translate(str.maketrans("０１２３４５６７８９－／．", "0123456789-/."))
    match = _SEPARATED.match(text) or _COMPACT.match(text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
# The month grid shows whole weeks and the calendar links the months either
# side: both must stay within the years datetime can hold (1 to 9999).
FIRST_MONTH, LAST_MONTH = (1, 1), (9999, 11)


def parse_month(text):
    """(year, month) from "2023-08", or None when it is not a month the calendar can show."""
    match = _MONTH.fullmatch(text or "")
    if not match:
        return None
    shown = int(match[1]), int(match[2])
    return shown if FIRST_MONTH <= shown <= LAST_MONTH and 1 <= shown[1] <= 12 else None


def parse_year(text):
    """A year from "2023" (four ASCII digits, 1 to 9999), or None."""
    return int(text) if re.fullmatch(r"[0-9]{4}", text or "") and text != "0000" else None


def weekday_cn(day):
    return "星期" + WEEKDAYS[day.weekday()]


def date_cn(day):
    return f"{day.year}年{day.month}月{day.day}日"


def local_today():
    """Today where the paper is printed; tests replace it to pin a day."""
    return timezone.localdate()


@dataclass
class Day:
    date: date
    in_month: bool
    has_issue: bool
    date_note: str = ""  # where the issue's date came from, when the masthead did not print it

    def links(self):
        """(page, JSON) addresses of the day's issue; None without one."""
        if not self.has_issue:
            return None
        return reverse("issue", kwargs={"date": self.date}), reverse("api_issue", kwargs={"date": self.date})


@dataclass
class Year:
    """A year of the archive and how many issues it holds."""

    year: int
    issue_count: int

    def links(self):
        return (reverse("calendar_year", kwargs={"year": self.year}),
                reverse("api_calendar_year", kwargs={"year": self.year}))


@dataclass
class Month:
    year: int
    month: int
    weeks: list  # lists of seven Day
    issue_count: int

    @property
    def title(self):
        return f"{self.year}年{self.month}月"

    @property
    def anchor(self):
        return f"m{self.month:02d}"

    @property
    def date_notes(self):
        """The notes of the month's issues whose date the masthead did not print, each once."""
        return sorted({day.date_note for week in self.weeks for day in week if day.date_note})


def month_grid(year, month, issue_dates):
    """One month as weeks of days, each day knowing whether an issue exists.

    ``issue_dates`` maps each issue's date to its date note ("" when printed).
    """
    weeks = [
        [Day(d, d.month == month, d.month == month and d in issue_dates,
             issue_dates.get(d, "") if d.month == month else "") for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    count = sum(1 for d in issue_dates if d.year == year and d.month == month)
    return Month(year, month, weeks, count)


def year_grids(year, issue_dates):
    return [month_grid(year, month, issue_dates) for month in range(1, 13)]


def shown_year(request, per_year, total, limit, missing):
    """The year a person's or a place's page shows: ``?year=``, else every year when ``total`` fits in
    ``limit``, else the busiest year (the later one on a tie). None means every year.

    ``per_year`` is {year or None: articles}; ``missing`` the 404 message for a year without any,
    with ``{year}`` where the year asked for goes.
    """
    typed = request.GET.get("year", "")
    if typed == "all" and total <= limit:
        return None
    if typed:
        year = parse_year(typed)
        if year is None or year not in per_year:
            raise Http404(missing.replace("{year}", typed))
        return year
    if total <= limit:
        return None
    # A prolific reporter's whole career would be one enormous page; the
    # busiest year shows them at work.
    return max(((n, y) for y, n in per_year.items() if y is not None), default=(None, None))[1]
