"""From raw page text to a list of typed elements.

An element is a run of source lines that plays one part on the page: a
byline, a headline-like block, a chunk of body text, a continuation note,
masthead furniture, app promotion noise. Every non-blank source line lands in
exactly one element, which is how the parser proves it lost nothing.
"""

import re
from dataclasses import dataclass, field

from . import bylines
from .masthead import is_masthead_line, parse_page_header
from .text import CJK, cjk_length, ends_sentence, undouble

NOISE = re.compile(r"^(?:平湖发布|今平湖客户端|[ \u3000])+$")
# Picture credits of the whole page: "本版图片由某镇提供", "□本版图片除署名外由…提供".
FURNITURE = re.compile(r"^[■□]?[ \u3000]*(本版|本期|本专版)[^。！？]{0,30}?(图片|照片|摄影|图)[^。！？]{0,40}提供[。]?$")
_MARK = r"[（(]\s*(下转|上接|转)\s*(?:第\s*)?([A-Z]?\d{1,2})\s*版\s*[)）]"
CONTINUATION = re.compile(r"^[（(]?\s*(下转|上接|转)\s*(?:第\s*)?([A-Z]?\d{1,2})\s*版\s*[)）]?$")
# The same notes glued to body text: "（上接1版）发展的…", "…很简单，(下转2版)".
CONTINUATION_AT_START = re.compile("^" + _MARK + r"\s*(?=\S)")
CONTINUATION_AT_END = re.compile(r"(?<=\S)\s*" + _MARK + "$")
MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*$")
DATELINE = re.compile(r"^(本报讯|本报[^\s，。]{0,6}电|新华社[^\s，。]{0,10}电)\s*")
# A headline glued to the first words of the next paragraph: "半年答卷 可圈可点“平湖经开…"
# The first words of a report: a dateline, or the day the news happened.
REPORT_OPENER = re.compile(
    r"^(?:本报讯|本报[^\s，。]{0,6}电|昨天|昨日|今天|今日|近日|日前|近期|前不久|连日来|上周|本周|近年来"
    r"|(?:\d{4}年)?\d{1,2}月\d{1,2}日|(?:今年|去年)\d{1,2}月(?:份)?[，,])"
)
GLUED_HEAD = re.compile(rf"^([{CJK}]{{2,8}}[ \u3000][{CJK}]{{2,8}})(?=[“{CJK}])")


@dataclass
class Line:
    number: int  # 0-based line number in the source
    text: str  # stripped, doubling repaired
    raw: str
    doubled: bool = False
    new_block: bool = True  # preceded by a blank line (or the page start)


@dataclass
class Element:
    kind: str  # byline, head, text, cont, noise, masthead, header, subhead, voxpop
    lines: list[Line] = field(default_factory=list)
    byline: object = None  # BylineRecord for bylines
    marked_title: bool = False  # "## " heading
    glued: bool = False  # headline cut from the front of a text line
    cont: tuple = ()  # ("下转", "C2")
    trailing: bool = False  # a credit printed after its body ("指导老师 A")

    @property
    def numbers(self):
        return sorted({line.number for line in self.lines})

    @property
    def texts(self):
        return [line.text for line in self.lines]

    @property
    def first(self):
        return self.lines[0].text if self.lines else ""

    @property
    def doubled(self):
        return any(line.doubled for line in self.lines)

    def is_photo_credit(self):
        return self.kind == "byline" and bylines.is_photo_credit(self.byline)


def read_lines(text):
    """Source lines, with doubled bold runs repaired and blank-line context."""
    out = []
    blank_before = True
    for number, raw in enumerate(text.split("\n")):
        stripped = raw.strip().rstrip("\\").strip()
        if not stripped:
            blank_before = True
            continue
        repaired, doubled = undouble(stripped)
        # A leading space is the indent of a new paragraph or block.
        indented = raw[:1] in (" ", "\u3000", "\t")
        out.append(Line(number, repaired.strip(), raw, doubled, blank_before or indented))
        blank_before = False
    return out


AFFILIATION_LINE = re.compile(r"^[（(][^（()）]{2,30}[)）]$")


def is_speaker(text, following):
    """"张某" over "（某镇某村村民）": a name alone, then an affiliation alone."""
    return (
        bylines.looks_like_name(text)
        and not following.new_block
        and AFFILIATION_LINE.match(following.text) is not None
        and CONTINUATION.match(following.text) is None
    )


def is_headlike(lines):
    """Could these lines be a headline (or subhead, caption label)?"""
    # Wrapped headline parts run to two lines; bold (doubled) ones can run
    # longer, and so do parts stacked line under line (column, kicker, title,
    # deck), which no wrapped paragraph resembles: no punctuation in any
    # line, and no run of lines of the column's one width.
    if not 1 <= len(lines) <= 4:
        return False
    if len(lines) > 2 and not any(line.doubled for line in lines) and not _stacked_parts(lines):
        return False
    joined = "".join(line.text for line in lines)
    if re.match(r"^(核心提示|编者按|导读)[：:]", joined):
        return False  # a lead box opens with its label
    bold = any(line.doubled for line in lines)  # bold captions may read as clauses
    # A deck under its title: a line opening with a dash, or a line clearly
    # longer than a plain line above it, which no wrapped sentence makes (its
    # lines after the first are never longer than the first, indented, by 3+).
    deck = len(lines) > 1 and (
        lines[-1].text.startswith(("—", "－"))
        or (cjk_length(lines[-1].text) >= cjk_length(lines[-2].text) + 4
            and not re.search(r"[，、,。；：:]", "".join(line.text for line in lines[:-1])))
    )
    clauses = "".join(line.text for line in (lines[:-1] if deck else lines))
    if not bold and (len(re.findall(r"[，、,]", clauses)) >= 2 or (re.search(r"[，,]", clauses) and REPORT_OPENER.match(joined))):
        # A sentence of clauses ("昨天，在某村，一个个…") cut by a column break.
        return False
    if len(lines) > 1 and not bold and not deck and re.search(r"[，、,]", joined):
        # Clauses over two lines are a wrapped sentence cut by a column break;
        # a headline with a comma is a couplet on one line.
        return False
    total = 0
    for line in lines:
        text = line.text
        if re.search(r"[。；？！?!]", text[:-1] if len(lines) == 1 else text) or DATELINE.match(text):
            return False
        if ends_sentence(text) or text[-1] in "，、：:,":
            return False
        if cjk_length(text) > 34:
            return False
        total += cjk_length(text)
    return total <= 80


def _stacked_parts(lines):
    texts = [line.text for line in lines]
    if any(re.search(r"[，、,。；？！?!：:]", t) for t in texts if not t.startswith(("—", "－"))):
        return False
    widths = [cjk_length(t) for t in texts]
    # A wrapped paragraph: its middle lines share one width, the first is that
    # width or indented two short of it.
    middle = widths[1:-1]
    wrapped = (len(set(middle)) == 1 and middle[0] >= 12 and widths[0] in (middle[0], middle[0] - 2)
               and widths[-1] <= middle[0])
    return not wrapped and max(widths) <= 34


def split_elements(text):
    """The page as elements, in source order."""
    lines = read_lines(text)
    elements = []
    seen_content = False
    i = 0
    while i < len(lines):
        line = lines[i]
        t = line.text
        if NOISE.match(t) or FURNITURE.match(t):
            elements.append(Element("noise", [line]))
        elif not bylines.is_byline_start(t) and is_masthead_line(t):
            elements.append(Element("masthead", [line]))
        elif not seen_content and parse_page_header(t):
            elements.append(Element("header", [line]))
            seen_content = True
        elif bylines.is_byline_start(t):
            group = [line]
            while (
                i + 1 < len(lines)
                and not lines[i + 1].new_block
                and bylines.is_byline_continuation(lines[i + 1].text)
            ):
                i += 1
                group.append(lines[i])
            joined = " ".join(l.text for l in group)
            elements.append(Element("byline", group, byline=bylines.parse_byline(joined, [l.number for l in group])))
            seen_content = True
        elif i + 1 < len(lines) and is_speaker(t, lines[i + 1]):
            # A vox-pop box: the speaker's name, then who they are, in brackets.
            elements.append(Element("voxpop", [line, lines[i + 1]]))
            seen_content = True
            i += 1
        elif bylines.is_trailing_credit(t):
            credit = bylines.parse_byline(t, [line.number])
            elements.append(Element("byline", [line], byline=credit, trailing=True))
            seen_content = True
        elif m := CONTINUATION.match(t):
            elements.append(Element("cont", [line], cont=(m[1], m[2])))
        elif (m := CONTINUATION_AT_START.match(t)) or (m := CONTINUATION_AT_END.search(t)):
            # Split the note from its text; both keep the source line number.
            note = Line(line.number, m[0].strip(), line.raw, line.doubled, True)
            rest = Line(line.number, (t[: m.start()] + t[m.end():]).strip(), line.raw, line.doubled, line.new_block)
            at_start = m.start() == 0
            if not at_start:
                _append_text(elements, rest)
            elements.append(Element("cont", [note], cont=(m[1], m[2])))
            if at_start:
                rest.new_block = True
                elements.append(Element("text", [rest]))
            seen_content = True
        elif m := MD_HEADING.match(t):
            line.text = m[1].strip()
            elements.append(Element("head", [line], marked_title=True))
            seen_content = True
        elif m := BOLD_LINE.match(t):
            line.text = m[1].strip()
            elements.append(Element("subhead", [line]))
            seen_content = True
        else:
            seen_content = True
            glued = GLUED_HEAD.match(t) if line.new_block and not DATELINE.match(t) else None
            rest_text = t[len(glued[1]):] if glued else ""
            if glued and len(rest_text) > 4 and re.search(r"[，。、,]", rest_text):
                head = Line(line.number, glued[1], line.raw, line.doubled, True)
                rest = Line(line.number, t[len(glued[1]):].strip(), line.raw, line.doubled, False)
                elements.append(Element("head", [head], glued=True))
                elements.append(Element("text", [rest]))
            else:
                _append_text(elements, line)
        i += 1
    return [_retype(e) for e in elements]


def _append_text(elements, line):
    """Add a body line to the chunk it continues, or start a new chunk."""
    if elements and elements[-1].kind == "text" and not line.new_block:
        elements[-1].lines.append(line)
    else:
        elements.append(Element("text", [line]))


def _retype(element):
    """A short chunk with no sentence in it is headline-like."""
    if element.kind == "text" and is_headlike(element.lines):
        element.kind = "head"
    return element
