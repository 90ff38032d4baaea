"""Parser records to model field values: pure data, no queries."""

from dataclasses import asdict

from articles.models import Article, Kind, Page, ReviewLevel, Role
from articles.parsing.guesses import review_level

ARTICLE_FIELDS = (
    "position", "kind", "column", "kicker", "title", "subtitle", "lead", "dateline", "byline",
    "body", "blocks", "continued_to", "continued_from", "needs_review", "review_level", "review_reasons", "source_spans",
)
UNTITLED = "（无题）"


def _limit(model, name, value, reasons, what):
    """Cut a value to its column; say so, since the column cannot hold a parse error."""
    max_length = model._meta.get_field(name).max_length
    if max_length and len(value) > max_length:
        reasons.append(f"{what}过长（{len(value)} 字），已截为 {max_length} 字，请核对原文")
        return value[:max_length]
    return value


def article_values(record):
    """Field values of one ArticleRecord, and its extra review reasons."""
    reasons = list(record.review_reasons)
    kind = record.kind if record.kind in Kind.values else Kind.NEWS
    if kind != record.kind:
        reasons.append(f"未知体裁“{record.kind}”，暂记为消息")
    title = (record.title or "").strip()
    if not title:
        title = UNTITLED
        reasons.append("解析未得到标题")
    values = {
        "position": record.position,
        "kind": kind,
        "column": record.column,
        "kicker": record.kicker,
        "title": title,
        "subtitle": record.subtitle,
        "lead": record.lead,
        "dateline": record.dateline,
        "byline": record.byline,
        "body": record.body,
        "blocks": [{"text": block.text, "kind": block.kind} for block in record.blocks],
        "continued_to": record.continued_to,
        "continued_from": record.continued_from,
        "source_spans": [list(span) for span in record.spans],
    }
    names = {"column": "栏目", "kicker": "引题", "title": "标题", "subtitle": "副题", "dateline": "电头",
             "continued_to": "下转版次", "continued_from": "上接版次"}
    for name, what in names.items():
        values[name] = _limit(Article, name, values[name] or "", reasons, what)
    set_reasons(values, reasons)
    return values


def set_reasons(values, reasons):
    """Reasons with the level they add up to: 须复核 sets needs_review."""
    values["review_reasons"] = reasons
    values["review_level"] = review_level(reasons)
    values["needs_review"] = values["review_level"] == ReviewLevel.MUST


def credit_roles(record):
    """[(name, role)] in byline order, and reasons for any credit left out."""
    reasons, seen, credits = [], set(), []
    for credit in record.credits:
        role = credit.role if credit.role in Role.values else Role.AUTHOR
        if role != credit.role:
            reasons.append(f"署名“{credit.name}”的身份“{credit.role}”未知，暂记为作者")
        key = ("".join(credit.name.split()), role)
        if key in seen:
            continue
        seen.add(key)
        credits.append((credit.name, role))
    return credits, reasons


def masthead_values(masthead):
    """The masthead as a flat JSON object, every printed item kept."""
    if masthead is None:
        return {}
    data = asdict(masthead)
    data.pop("lines", None)
    extra = data.pop("fields", {}) or {}
    if data.get("date"):
        data["date"] = data["date"].isoformat()
    flat = {key: value for key, value in data.items() if value not in ("", None)}
    for key, value in extra.items():
        flat.setdefault(key, value)
    return flat


def page_values(record):
    """Page fields the parse decides (not date, issue or bookkeeping)."""
    reasons = list(record.review_reasons)
    masthead = record.masthead
    values = {
        "edition": record.edition or (masthead.edition if masthead else ""),
        "section": record.section,
        "editor": masthead.editor if masthead else "",
        "designer": masthead.designer if masthead else "",
        "proofreader": masthead.proofreader if masthead else "",
        "masthead": masthead_values(masthead),
        "leftover_text": record.leftover_text,
        "orphan_bylines": [
            {
                "text": byline.text,
                "credits": [{"name": c.name, "role": c.role} for c in byline.credits],
                "lines": list(byline.lines),
            }
            for byline in record.orphan_bylines
        ],
    }
    names = {"edition": "版别", "section": "版名", "editor": "编辑", "designer": "版式", "proofreader": "校对"}
    for name, what in names.items():
        values[name] = _limit(Page, name, values[name] or "", reasons, what)
    if not record.articles:
        reasons.append("未解析出任何文章，全部文字留在版面的未归类文字中")
    if record.orphan_bylines and not any("署名" in reason for reason in reasons):
        reasons.append(f"有 {len(record.orphan_bylines)} 条署名找不到所属文章，未归入任何文章")
    return values, reasons
