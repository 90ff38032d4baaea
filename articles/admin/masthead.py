"""A page's masthead as staff read it: each printed item under its Chinese name."""

from django.utils.html import format_html, format_html_join

# Keys as the importer stores them (importing/mapping.py masthead_values),
# in the order the masthead prints them.
LABELS = {
    "title": "报名",
    "date": "出版日期",
    "invalid_date": "印错的日期",
    "weekday": "星期",
    "lunar_date": "农历",
    "issue_number": "总期号",
    "section_letter": "叠",
    "edition": "版别",
    "publishers": "主办",
    "editor": "编辑",
    "editor_phone": "编辑电话",
    "designer": "版式",
    "proofreader": "校对",
    "news_hotline": "新闻热线",
    "hotline": "热线",
    "website": "网址",
    "epaper": "数字报",
    "legal_counsel": "法律顾问",
    "notice": "声明",
}


def rows(masthead):
    """[(label, value)]: known items in print order, then any other under its stored name."""
    masthead = masthead or {}
    known = [(LABELS[key], masthead[key]) for key in LABELS if masthead.get(key) not in (None, "")]
    others = [(key, value) for key, value in masthead.items() if key not in LABELS and value not in (None, "")]
    return known + others


def as_html(masthead):
    items = rows(masthead)
    if not items:
        return "—（本版没有报头）"
    return format_html("<dl class='phnews-masthead'>{}</dl>",
                       format_html_join("", "<dt>{}</dt><dd>{}</dd>", items))
