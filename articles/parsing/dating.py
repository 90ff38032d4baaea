"""Estimate a page's publication date from its text alone.

Most pages print no date. A report is published on or soon after the newest
day it mentions, so the newest plausible date in the text is a fair guess; it
is only ever a guess, and the importer flags every estimated page for review.
Pure Python: no Django.
"""

import re
from dataclasses import dataclass
from datetime import date

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_YEAR = r"((?:19|20)\d{2})"
_FULL_DATE = re.compile(_YEAR + r"\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR_MONTH = re.compile(_YEAR + r"\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
# A day with no year of its own, but not one of last or next year's.
_MONTH_DAY = re.compile(r"(?<!\d)(?<!\d年)(?<!\d年\s)(?<!去年)(?<!前年)(?<!明年)(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_BARE_YEAR = re.compile(_YEAR + r"\s*年")
_MONTH_RANGE = re.compile(r"(?:1|一)\s*(?:至|-|—|~|到)\s*(\d{1,2})\s*月")
# Dates after these words are ends of ranges, deadlines or plans, not news days.
_FUTURE_CUE = re.compile(r"(?:至|到|—|-|~|～|将于|将在|计划|预计|力争|争取|截止|前的|到期)\s*$")
_TARGET_YEAR_AFTER = re.compile(r"^\s*年?\s*(?:前|底前|以前|将|要|目标|达到)")


@dataclass(frozen=True)
class DateEstimate:
    date: date
    basis: str  # why, in words a reviewer can check against the text


def estimate_date(text: str) -> DateEstimate | None:
    """The newest plausible publication date the text supports, or None."""
    text = (text or "").translate(_FULLWIDTH_DIGITS)
    full_dates = list(_dates(text))
    year = _reference_year(text, full_dates)

    candidates = [(day, f"正文中提到的日期“{shown}”") for day, shown in full_dates]
    if year is not None:
        for match in _MONTH_DAY.finditer(text):
            if _after_future_cue(text, match.start()):
                continue
            day = _safe_date(year, int(match.group(1)), int(match.group(2)))
            if day:
                candidates.append((day, f"正文中的“{match.group(0)}”，年份按正文推为 {year} 年"))
    if candidates:
        best, basis = max(candidates, key=lambda item: item[0])
        return DateEstimate(best, f"据正文推测：{basis}（取最晚者）")

    months = []
    for match in _YEAR_MONTH.finditer(text):
        if _after_future_cue(text, match.start()):
            continue
        first = _safe_date(int(match.group(1)), int(match.group(2)), 1)
        if first:
            months.append((first, f"正文提到“{match.group(0)}”"))
    if year is not None:
        for match in _MONTH_RANGE.finditer(text):
            # Figures for "1至6月" are published once June is over.
            month = int(match.group(1))
            following = _safe_date(year + month // 12, month % 12 + 1, 1)
            if following:
                months.append((following, f"正文有“{match.group(0)}”的累计数据，年份按正文推为 {year} 年"))
    if months:
        best, basis = max(months, key=lambda item: item[0])
        return DateEstimate(best, f"据正文推测（仅到月份，日为 1 日）：{basis}")
    return None


def _dates(text):
    for match in _FULL_DATE.finditer(text):
        if _after_future_cue(text, match.start()):
            continue
        day = _safe_date(*(int(group) for group in match.groups()))
        if day:
            yield day, match.group(0)


def _reference_year(text, full_dates):
    """The year the page speaks from: of its newest dated mention, else its most cited year.

    Pages cite target years ("到2025年") as often as the current one, so the
    most frequent year, not the largest, is the better guess.
    """
    if full_dates:
        return max(day for day, _ in full_dates).year
    counts = {}
    for match in _BARE_YEAR.finditer(text):
        if _after_future_cue(text, match.start()) or _TARGET_YEAR_AFTER.match(text, match.end()):
            continue
        year = int(match.group(1))
        counts[year] = counts.get(year, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], year))


def _after_future_cue(text, start):
    return bool(_FUTURE_CUE.search(text[max(0, start - 4):start]))


def _safe_date(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None
