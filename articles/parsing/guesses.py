"""Review reasons for guesses, each naming what was guessed, and what a wrong guess costs.

Every decision the page does not prove (where an article starts or ends,
which headline line is which part, whom a credit belongs to) is said in a
review reason that starts with the kind of guess, so that the review queue
shows it and a person knows what to check.

Reasons are ranked by what a wrong guess would cost a reader:
须复核 (MUST) when text or credit could sit in the wrong article or be lost,
可复核 (MAY) when only the layering of a complete heading (kicker / title /
deck) or a repair of typography could be off. A reason not known to be
cosmetic is MUST: an unranked reason never hides a possible loss.
"""

import re

BOUNDARY = "分篇存疑"  # where an article starts or ends
HEADLINE = "标题存疑"  # how a headline splits into column, kicker, title, subtitle
CREDIT = "署名存疑"  # a credit, its role or its article

KINDS = (BOUNDARY, HEADLINE, CREDIT)

MUST = "must"
MAY = "may"
LEVEL_NAMES = {MUST: "须复核", MAY: "可复核"}


def guess(kind, text):
    assert kind in KINDS
    return f"{kind}：{text}"


# (pattern at the start of a reason, key, level). The key names a rule, not
# a line of text, so that staff can clear one rule's reasons all at once.
RULES = [
    (r"标题存疑：标题结构不确定", "两行标题", MAY),
    (r"标题存疑：相邻两行", "相邻标题行连读", MAY),
    (r"已修复重复提取的粗体文字", "粗体重复已修复", MAY),
    (r"小标题位于各节之后", "小标题已前移", MUST),
    (r"未知体裁", "体裁未知", MAY),
    (r"标题存疑：未识别出标题|解析未得到标题", "未识别标题", MUST),
    (r"分篇存疑：无标题无署名的正文", "无题无署名正文", MUST),
    (r"分篇存疑：正文之后未见标题", "正文后无标题", MUST),
    (r"分篇存疑：标题后未见正文", "标题后无正文", MUST),
    (r"分篇存疑：本文以", "消息中的小标题", MUST),
    (r"分篇存疑：“.*”之后的正文以", "报道开头处分篇", MUST),
    (r"分篇存疑：“.*”有多个标题部分", "多部分标题处分篇", MUST),
    (r"分篇存疑：“.*”按本文小标题处理", "小标题或另一篇", MUST),
    (r"署名存疑：.*按位置归属", "署名按位置归属", MUST),
    (r"署名存疑：.*不像常见姓名", "署名非常见姓名", MUST),
    (r"署名存疑", "署名无法识别", MUST),
    (r"署名“.*”的身份“.*”未知", "身份未知", MUST),
    (r"署名“.*”不是可用的姓名", "姓名不可用", MUST),
    (r".*过长（\d+ 字），已截为", "字段截断", MUST),
    (r"重新导入后新解析中找不到", "新解析中已无此文", MUST),
]
_RULES = [(re.compile(pattern), key, level) for pattern, key, level in RULES]


def classify(reason):
    """(key, level) of one reason."""
    for pattern, key, level in _RULES:
        if pattern.match(reason):
            return key, level
    # Unknown wording: its own words up to the first quote or colon name it.
    return re.split(r"[：“（，]", reason, maxsplit=1)[0][:20] or reason[:20], MUST


def reason_key(reason):
    return classify(reason)[0]


def review_level(reasons, cleared=()):
    """MUST, MAY or "" for the reasons not yet cleared (cleared: keys staff checked)."""
    levels = {level for key, level in map(classify, reasons) if key not in cleared}
    if MUST in levels:
        return MUST
    return MAY if levels else ""
