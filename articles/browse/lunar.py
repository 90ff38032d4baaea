"""The Chinese lunar date of a day, written as the paper's masthead writes it.

Only some pages carry a masthead with the printed lunar date; for every other
issue the date is computed (lunardate's tables, 1900-2099) in the same form,
"农历癸卯年二月十九", so readers see it on every issue.
"""

from datetime import date

from lunardate import LunarDate

STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
MONTHS = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
DIGITS = "一二三四五六七八九十"


def _day(n):
    if n == 10:
        return "初十"
    if n == 20:
        return "二十"
    if n == 30:
        return "三十"
    prefix = "初十廿"[(n - 1) // 10]
    return prefix + DIGITS[(n - 1) % 10]


def lunar_date_cn(day):
    """"农历癸卯年二月十九" for 2023-03-10; "" outside the tables' range."""
    # The tables start at lunar new year 1900 and end in 2099; outside them
    # lunardate answers nonsense rather than failing.
    if not date(1900, 1, 31) <= day <= date(2099, 12, 31):
        return ""
    lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
    year = STEMS[(lunar.year - 4) % 10] + BRANCHES[(lunar.year - 4) % 12]
    leap = "闰" if lunar.isLeapMonth else ""
    return f"农历{year}年{leap}{MONTHS[lunar.month - 1]}月{_day(lunar.day)}"


def issue_lunar_date(issue):
    """The lunar date as printed on the issue, else as computed, always "农历…"."""
    printed = (issue.lunar_date or "").strip()
    if printed:
        return printed if printed.startswith("农历") else "农历" + printed
    return lunar_date_cn(issue.date)
