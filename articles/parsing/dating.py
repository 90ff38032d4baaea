"""Estimate a page's publication date from its text alone.

Most pages print no date. The evidence, strongest first:

1. a day the text ties to its own "yesterday" or "today"
   ("昨天（3月2日）", "3月3日（今天）"): the page appeared the day after, or that day;
2. the newest day it mentions: a report is published on or soon after it. A
   day without a year ("3月3日") takes the year the text speaks from (its
   newest full date, else its most cited year), moved on a year when the
   text names a later year as present (not "到2025年" targets): a page
   about "2024年履职计划" is not from March 2023, since plans for a year are
   discussed from November before it;
   A lunar day ("农历正月十五", "腊月廿三": the paper writes solar days in
   digits, lunar ones in words) counts as the solar day it falls on, in the
   year the text speaks from;
3. month figures ("1至6月", "2023年5月") when no day is given.

The basis says which evidence decided. It is only ever a guess, and the
importer flags every estimated page for review. Pure Python: no Django.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

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
_DAY = r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
# A day the text ties to its own yesterday or today: "昨天（3月2日）", "3月3日（今天）".
_ANCHORED = re.compile(
    r"(?P<rel>昨天|昨日|今天|今日)\s*[（(]\s*" + _DAY + r"\s*[）)]"
    r"|" + _DAY.replace("?P<year>", "?P<year2>").replace("?P<month>", "?P<month2>").replace("?P<day>", "?P<day2>")
    + r"\s*[（(]\s*(?P<rel2>昨天|昨日|今天|今日)\s*[）)]"
)


@dataclass(frozen=True)
class DateEstimate:
    date: date
    basis: str  # why, in words a reviewer can check against the text


def estimate_date(text: str) -> DateEstimate | None:
    """The publication date the text's evidence supports best, or None."""
    text = (text or "").translate(_FULLWIDTH_DIGITS)
    full_dates = list(_dates(text))
    year = _reference_year(text, full_dates)
    newest_named = _newest_named_year(text)
    # Plans for a year are discussed from November before it, not earlier.
    not_before = date(newest_named - 1, 11, 1) if newest_named else None

    def place(month, day, after=None):
        """A year-less day in the year the text speaks from; (date, why) or None.

        after: a full date the day cannot precede (the page's own "today"
        comes after every past day it reports).
        """
        if year is None:
            return None
        found = _safe_date(year, month, day)
        if found and not_before and found < not_before:
            later = _safe_date(found.year + 1, month, day)
            if later:
                return later, f"正文提到“{newest_named}年”，{found.year}年的这一天太早，年份推为 {later.year} 年"
        if found and after and found < after:
            later = _safe_date(found.year + 1, month, day)
            if later:
                return later, f"正文已提到 {after}，年份推为 {later.year} 年"
        return (found, f"年份按正文推为 {year} 年") if found else None

    anchored = []
    for match in _ANCHORED.finditer(text):
        word = match["rel"] or match["rel2"]
        given_year = match["year"] or match["year2"]
        month, day = int(match["month"] or match["month2"]), int(match["day"] or match["day2"])
        if given_year:
            found = _safe_date(int(given_year), month, day)
            placed = (found, "") if found else None
        else:
            placed = place(month, day, after=max((d for d, _ in full_dates), default=None))
        if placed:
            shift = 1 if word in ("昨天", "昨日") else 0
            anchored.append((placed[0] + timedelta(days=shift), match.group(0), placed[1]))
    if anchored:
        best, shown, why = max(anchored)
        said = f"正文“{shown}”，即见报{'前一天' if '昨' in shown else '当天'}"
        return DateEstimate(best, f"据正文推测：{said}{'，' + why if why else ''}")

    candidates = [(day, f"正文中提到的日期“{shown}”") for day, shown in full_dates]
    if year is not None:
        for match in _LUNAR_DAY.finditer(text):
            solar = _lunar_to_solar(year, match)
            if solar:
                candidates.append((solar, f"正文中的“{match.group(0)}”，即公历 {solar}（年份按正文推为 {year} 年）"))
    for match in _MONTH_DAY.finditer(text):
        if _after_future_cue(text, match.start()):
            continue
        month, day = int(match.group(1)), int(match.group(2))
        inherited = _year_in_paragraph(text, match.start())
        if inherited is not None:
            # "2023年1月6日…1月8日…3月3日": the days after a dated one in its
            # paragraph are of its year, however early that makes them.
            found = _safe_date(inherited, month, day)
            placed = (found, f"年份随同段的“{inherited}年…”") if found else None
        else:
            placed = place(month, day)
        if placed:
            candidates.append((placed[0], f"正文中的“{match.group(0)}”，{placed[1]}"))
    if candidates:
        best, basis = max(candidates, key=lambda item: item[0])
        if not_before and best < not_before:
            # Every day it names is past, and it already speaks of a later year.
            start = date(newest_named, 1, 1)
            return DateEstimate(start, f"据正文推测（仅到年初）：正文提到的日子最晚为 {best}（{basis}），"
                                       f"而正文已谈及“{newest_named}年”，推为 {newest_named} 年初")
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


_LUNAR_MONTHS = {"正": 1, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                 "十一": 11, "冬": 11, "十二": 12, "腊": 12}
_LUNAR_DAY = re.compile(
    r"(?:农历)?(?P<month>十一|十二|[正一二三四五六七八九十冬腊])月"
    r"(?P<day>初[一二三四五六七八九十]|十[一二三四五六七八九]|二十|廿[一二三四五六七八九]|三十)"
)
_DIGITS = "一二三四五六七八九"


def _lunar_number(word):
    if word == "初十":
        return 10
    if word in ("二十", "三十"):
        return 20 if word == "二十" else 30
    tens = {"初": 0, "十": 10, "廿": 20}[word[0]]
    return tens + _DIGITS.index(word[1]) + 1


def _lunar_to_solar(year, match):
    """The solar day of a lunar month and day, in the solar year the text speaks from.

    The twelfth lunar month of one year falls in January or February of the
    next, so the lunar year is this year's or last year's, whichever lands here.
    """
    from lunardate import LunarDate

    month, day = _LUNAR_MONTHS[match["month"]], _lunar_number(match["day"])
    for lunar_year in (year, year - 1):
        try:
            solar = LunarDate(lunar_year, month, day).to_solar_date()
        except (ValueError, IndexError):
            continue
        if solar.year == year:
            return solar
    return None


def _year_in_paragraph(text, start):
    """The year of the last full date before start in the same paragraph, or None."""
    found = None
    for match in _FULL_DATE.finditer(text, text.rfind("\n\n", 0, start) + 1, start):
        found = int(match.group(1))
    return found


def _newest_named_year(text):
    """The newest year the text names as past or present (targets and plans with a cue left out)."""
    years = [int(m.group(1)) for m in _BARE_YEAR.finditer(text)
             if not _after_future_cue(text, m.start()) and not _TARGET_YEAR_AFTER.match(text, m.end())]
    return max(years) if years else None


def _after_future_cue(text, start):
    return bool(_FUTURE_CUE.search(text[max(0, start - 4):start]))


def _safe_date(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None
