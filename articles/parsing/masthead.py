"""Page furniture: the front-page masthead and the running page header.

The masthead's items come glued together in any order ("JIAXING农历癸卯年二月
十九 总第5134期"), so each item is found by its own pattern wherever it sits.
"""

import datetime
import re

from .records import MastheadRecord
from .text import _decompose

_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*◆?\s*(星期[一二三四五六日天])?")
_LUNAR = re.compile(r"农历\s*([甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年\S*?[月][^\s总]*)")
_NUMBER = re.compile(r"总第\s*(\d+)\s*期")
_SECTION = re.compile(r"^叠\s*([A-Z])$")
_EDITION = re.compile(r"^(\S{1,6}版)$")
_STAFF = re.compile(r"(编辑|版式|校对|美编|责编)\s*/\s*((?:\S\s?){1,4}?)(?=\s|电话|$|编辑|版式|校对)")
_LEGAL = re.compile(r"本社常年法律顾问\s*/\s*(.+?)(?=编辑/|$)")
_NOTICE = re.compile(r"(本报及所属新媒体.*?。)")
_HOTLINE = re.compile(r"(?<!新闻)热线[：:]\s*([\d-]+)")
_NEWS_HOTLINE = re.compile(r"新闻热线[：:]\s*([\d-]+)")
_WEBSITE = re.compile(r"平湖网[：:]\s*([\w.:/-]+?\.com)")
_EPAPER = re.compile(r"数字报[：:]\s*(\S+?\.com)")
_PUBLISHERS = re.compile(r"^(.*联办)$")

# Lines that are masthead furniture wherever they stand.
_FURNITURE = [
    _NUMBER, _LUNAR, _LEGAL, _NOTICE, _NEWS_HOTLINE,
    re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日\s*◆\s*星期"),
    re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日\s*星期[一二三四五六日天]$"),
    _SECTION, re.compile(r"^(JIAXING|DAILY)$"), re.compile(r"联办$"),
    re.compile(r"^热线[：:]"), re.compile(r"(编辑|版式|校对)\s*/\s*\S"),
]
_STAFF_FIELDS = {"编辑": "editor", "责编": "editor", "版式": "designer", "美编": "designer", "校对": "proofreader"}


def is_masthead_line(line):
    stripped = line.strip()
    if not stripped or stripped.startswith("■"):
        return False
    if _EDITION.match(stripped) and stripped.endswith("平湖版"):
        return True
    return any(p.search(stripped) for p in _FURNITURE)


def parse_masthead(lines, numbers=()):
    """Every item of the masthead, from its lines (already known to be furniture)."""
    record = MastheadRecord(lines=list(numbers))
    fields = record.fields
    text = "\n".join(line.strip() for line in lines)
    if m := _DATE.search(text):
        try:
            record.date = datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            fields["invalid_date"] = f"{m[1]}年{m[2]}月{m[3]}日"
        record.weekday = m[4] or ""
    if m := _LUNAR.search(text):
        record.lunar_date = m[1].strip()
    if m := _NUMBER.search(text):
        record.issue_number = int(m[1])
    for line in lines:
        stripped = line.strip()
        if m := _SECTION.match(stripped):
            record.section_letter = m[1]
        elif _EDITION.match(stripped) and stripped.endswith("版"):
            record.edition = stripped
        elif m := _PUBLISHERS.match(stripped):
            fields["publishers"] = m[1]
        elif stripped in {"JIAXING", "DAILY"} or stripped.startswith("JIAXING"):
            fields["title"] = "JIAXING DAILY"
    for m in _STAFF.finditer(text):
        attr = _STAFF_FIELDS[m[1]]
        setattr(record, attr, re.sub(r"\s", "", m[2]))
    for name, pattern in (
        ("legal_counsel", _LEGAL), ("notice", _NOTICE), ("hotline", _HOTLINE),
        ("news_hotline", _NEWS_HOTLINE), ("website", _WEBSITE), ("epaper", _EPAPER),
    ):
        if m := pattern.search(text):
            fields[name] = m[1].strip()
    if m := re.search(r"编辑/\S+(?:\s\S)?\s*电话\s*/\s*(\d+)", text):
        fields["editor_phone"] = m[1]
    return record


# "经济创新 深度 11": a section name, maybe a bold sub-name, and the page number.
_HEADER = re.compile(r"^(?P<name>[\u3400-\u9fff·\s]{2,24}?)\s*(?P<label>[A-Z]?\d{1,2})$")


def parse_page_header(line):
    """(section, label) from a running page header, or None.

    The bold sub-name may come doubled character by character ("深深 度度"),
    so a doubled tail is repaired and set apart as a second name.
    """
    m = _HEADER.match(line.strip())
    if not m:
        return None
    compact = re.sub(r"\s", "", m["name"])
    names = [re.sub(r"\s+", " ", m["name"].strip())]
    for start in range(len(compact) - 4, 0, -1):
        units = _decompose(compact[start:], 2)
        if units is not None and len(compact) - start >= 4:
            names = [compact[:start], "".join(units)]
    return " ".join(n for n in names if n), m["label"]
