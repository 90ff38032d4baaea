"""Which date and page label a file gets, and on what authority.

Precedence: the masthead printed on the page, then the archivist's manifest,
then the --date/--page options, then an estimate from the text (flagged).
"""

from dataclasses import dataclass, field
import datetime

from articles.models import DateSource
from articles.parsing.dating import estimate_date


@dataclass
class DateDecision:
    date: datetime.date | None
    source: str
    label: str
    reasons: list[str] = field(default_factory=list)  # for Page.review_reasons
    note: str = ""  # the manifest row's note on this file


# A report appears within a month of the days it mentions.
NEIGHBOUR_REACH = datetime.timedelta(days=31)


def decide_date(record, text, entry=None, option_date=None, option_page="", neighbours=None):
    """entry is the file's ManifestEntry or None.

    neighbours: {date: file name} of pages imported earlier in the run from
    the same folder whose date was printed or listed in a manifest.
    """
    reasons = []
    masthead_date = record.masthead.date if record.masthead else None
    manifest_date = entry.date if entry else None

    if masthead_date:
        day, source = masthead_date, DateSource.MASTHEAD
        if manifest_date and manifest_date != masthead_date:
            reasons.append(f"报头日期 {masthead_date} 与清单（{entry.where}）的 {manifest_date} 不符，已按报头")
    elif manifest_date:
        day, source = manifest_date, DateSource.MANIFEST
    elif option_date:
        day, source = option_date, DateSource.OPTION
    else:
        estimate = _with_neighbours(_estimate(record, text), neighbours or {})
        if estimate is not None:
            day, basis = estimate
            source = DateSource.ESTIMATED
            reasons.append(f"日期为推测（{day}）：{basis}")
        else:
            day, source = None, DateSource.UNKNOWN
            reasons.append("日期不详：无报头日期、清单或 --date，正文也无法推测")

    printed_label = (record.label or "").strip()
    manifest_label = entry.page if entry else ""
    if printed_label:
        label = printed_label
        if manifest_label and _norm_label(manifest_label) != _norm_label(printed_label):
            reasons.append(f"版面上的版次 {printed_label} 与清单（{entry.where}）的 {manifest_label} 不符，已按版面")
    else:
        label = manifest_label or (option_page or "").strip()
    return DateDecision(day, source, label, reasons, note=entry.note if entry else "")


def _estimate(record, text):
    # The parser may estimate with more context; fall back to our own reading.
    if getattr(record, "estimated_date", None):
        return record.estimated_date, record.estimate_basis or "解析器据正文推测"
    estimate = estimate_date(text)
    if estimate is None:
        return None
    return estimate.date, estimate.basis


def _with_neighbours(estimate, neighbours):
    """A folder holding one issue: its dated pages date the rest, if the text does not disagree."""
    if len(neighbours) != 1:
        return estimate
    ((day, name),) = neighbours.items()
    said = f"同一文件夹中先导入的 {name} 的日期为 {day}"
    if estimate is None:
        return day, f"{said}，本版正文无法推测，按同一期处理"
    guess, basis = estimate
    if guess <= day <= guess + NEIGHBOUR_REACH:
        return day, f"{said}，与正文推测的 {guess} 相符（{basis}），按同一期处理"
    return guess, f"{basis}；注意：{said}，与此不符"


def _norm_label(label):
    return normalize_label(label)


def normalize_label(label):
    """'C02版' and 'c2' name the same page."""
    text = "".join((label or "").split()).upper().replace("第", "").replace("版", "")
    head = text.rstrip("0123456789")
    digits = text[len(head):].lstrip("0")
    return head + (digits or ("0" if text[len(head):] else ""))
