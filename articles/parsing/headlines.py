"""Headline parts: column (栏目), kicker (引题), title (主题), subtitle (副题).

A headline arrives as a few short lines. Which line is which is read from
evidence the page gives: a "——" opens a subtitle, a "## " marks the main
title, bold (doubled) type marks the main title, a kicker often ends with a
verb of speech ("…时强调"), a known column name is a column. When only
line lengths are left to go by, the result is flagged as uncertain.
"""

import re
from dataclasses import dataclass, field

from .body import DANGLING, continues_word
from .text import cjk_length

SPEECH_VERBS = re.compile(r"(强调|指出|表示|要求|提出|希望|寄语|时说|部署|动员)$")
SPACED_COUPLET = re.compile(r"^[\u3400-\u9fff“”]{2,10}[ \u3000]+[\u3400-\u9fff“”0-9]{2,10}$")


@dataclass
class HeadLine:
    text: str
    lines: list[int]
    doubled: bool = False
    marked_title: bool = False  # "## " heading
    new_block: bool = True  # a blank line (or markup) set it apart from the line before


@dataclass
class Headline:
    column: str = ""
    kicker: str = ""
    title: str = ""
    subtitle: str = ""
    uncertain: str = ""
    joined: str = ""  # lines set one under another read as one part, on no evidence
    lines: list[int] = field(default_factory=list)


def join_title_lines(texts):
    """Lines of one headline part: a wrapped title joins directly, a couplet
    of two equal halves keeps a space between them ("抱团项目 共富大棚")."""
    texts = [t.strip() for t in texts if t.strip()]
    if len(texts) == 2:
        a, b = (cjk_length(t) for t in texts)
        # A wrapped line fills the width first; a clearly shorter first line
        # is a part of its own ("开放破局 擦亮外资集聚金名片").
        if a <= 0.7 * b:
            return f"{texts[0]} {texts[1]}"
        # Brackets belong to a running phrase, not to one half of a couplet.
        if abs(a - b) <= 1 and min(a, b) >= 4 and not re.search(r"[（()）]", texts[1]):
            return f"{texts[0]} {texts[1]}"
    return "".join(texts)


# Words that join on to the line above: a part never starts with them.
CONNECTIVES = tuple("暨与和及并兼")


def _one_part(above, below):
    """Do two plain lines set one under another make one part?

    Only on evidence: a word runs on across the break; two halves of equal
    length make a couplet ("抱团项目" over "共富大棚"); the lower line starts
    with a connective ("暨…"), or the upper ends in a word that needs more
    ("…的"); or the lower is the short remainder of a wrapped line (at most
    0.7 of the upper: "平湖营商环境优化案例" over "上嘉兴创新榜"). Otherwise
    they are two parts, as kicker, title and deck are stacked.
    """
    a, b = above.text.strip(), below.text.strip()
    if continues_word(a, b) or b.startswith(CONNECTIVES) or a[-1] in DANGLING:
        return True
    la, lb = cjk_length(a), cjk_length(b)
    return (abs(la - lb) <= 1 and min(la, lb) >= 4) or lb <= 0.7 * la


def split_parts(head_lines):
    """Group lines into parts: a new part where a blank line, a dash, bold
    type or a clearly longer line begins, or where nothing joins two lines."""
    parts = []
    for line in head_lines:
        text = line.text.strip()
        starts_part = (
            not parts
            or line.new_block
            or text.startswith("—")
            or line.marked_title
            or line.doubled != parts[-1][-1].doubled
            or cjk_length(text) >= 1.25 * cjk_length(parts[-1][-1].text)
            # A kicker ends in a verb of speech; a spaced couplet is a part of its own.
            or SPEECH_VERBS.search(parts[-1][-1].text.strip()) is not None
            or SPACED_COUPLET.match(parts[-1][-1].text.strip()) is not None
            or not (line.doubled or _one_part(parts[-1][-1], line))
        )
        if starts_part:
            parts.append([line])
        else:
            parts[-1].append(line)
    return parts


def lines_of(element_lines, marked_title=False):
    """HeadLines of one element's lines, set one under another."""
    return [HeadLine(text=line.text, lines=[line.number], doubled=line.doubled, marked_title=marked_title,
                     new_block=(n == 0)) for n, line in enumerate(element_lines)]


def assign(head_lines, known_columns=frozenset()):
    """Column, kicker, title and subtitle from a headline's lines."""
    headline = Headline(lines=[n for line in head_lines for n in line.lines])
    parts = split_parts(head_lines)
    texts = [join_title_lines([line.text for line in part]) for part in parts]
    for part in parts:
        # Two lines make one part when a word runs on across the break; bold
        # or marked lines are set apart by their type. Otherwise it is a guess.
        plain = not any(line.doubled or line.marked_title for line in part)
        if plain and any(not continues_word(a.text.strip(), b.text.strip()) for a, b in zip(part, part[1:])):
            headline.joined = " / ".join(line.text.strip() for line in part)

    if texts and _normalize(texts[0]) in known_columns and len(texts) > 1:
        headline.column = texts.pop(0)
        parts.pop(0)

    subtitles = [i for i, t in enumerate(texts) if t.startswith("—")]
    for i in subtitles:
        texts[i] = re.sub(r"^[—－-]+\s*", "——", texts[i])

    def marked(part):
        return any(line.marked_title or line.doubled for line in part)

    title_at = next((i for i, part in enumerate(parts) if marked(part) and i not in subtitles), None)
    if title_at is None:
        candidates = [i for i in range(len(texts)) if i not in subtitles]
        if not candidates:
            title_at = 0
        elif len(candidates) == 1:
            title_at = candidates[0]
        elif SPEECH_VERBS.search(texts[candidates[0]]) or SPACED_COUPLET.match(texts[candidates[0]]):
            title_at = candidates[1]
        elif len(candidates) == 2 and not subtitles and cjk_length(texts[candidates[0]]) > cjk_length(texts[candidates[1]]):
            # The main title is set largest, so it is the shorter line; a
            # longer line above it is a kicker, below it a subtitle.
            title_at = candidates[1]
            headline.uncertain = "两行标题无明显引题/副题标志，上行较长，按“引题+主题”处理"
        else:
            title_at = candidates[0]
            if len(candidates) >= 2 and not subtitles:
                headline.uncertain = "两行标题无明显引题/副题标志，按“主题+副题”处理"
    # Both bold lines of a two-line bold title belong to it.
    title_parts = [title_at]
    while (
        title_parts[-1] + 1 < len(parts)
        and title_parts[-1] + 1 not in subtitles
        and marked(parts[title_parts[-1] + 1])
        and marked(parts[title_at])
        and not parts[title_at][0].marked_title
    ):
        title_parts.append(title_parts[-1] + 1)

    headline.title = join_title_lines([texts[i] for i in title_parts])
    before = texts[: title_parts[0]]
    after = texts[title_parts[-1] + 1 :]
    if before:
        headline.kicker = " ".join(before)
    if after:
        headline.subtitle = " ".join(after)
    return headline


def _normalize(text):
    return re.sub(r"\s+", " ", text.strip())
