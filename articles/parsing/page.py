"""Assemble a page's elements into articles.

Pages come in two reading orders, because different tools extracted them:
"headline first" (headline → byline → body) and "byline first" (byline →
body → headline, the headline closing its article). The order is read from
the page itself (see reading_order), then one pass builds the articles.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import headlines
from .body import DANGLING, LEAD_MARK, BodyBuilder, is_subhead_text, split_dateline
from .elements import DATELINE, REPORT_OPENER, Element, split_elements
from .guesses import BOUNDARY, CREDIT, HEADLINE, guess
from .masthead import parse_masthead, parse_page_header
from .records import ArticleRecord, PageRecord
from .text import cjk_length

CAPTION_MAX = 400  # characters: a picture caption is short
HEAD_FIRST = "headline-first"
BYLINE_FIRST = "byline-first"

_DATA = Path(__file__).with_name("columns.txt")


def load_columns(path=_DATA):
    """Column names the paper runs (one a line); staff extend the file."""
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(l.strip() for l in lines if l.strip() and not l.startswith("#"))


KNOWN_COLUMNS = load_columns()
# Labels of boxed side pieces that belong to the article they stand in.
SIDEBAR_LABELS = {"采访札记", "记者手记", "记者观察", "编后", "编后语", "短评", "链接", "相关链接", "背景链接", "小贴士"}
def subhead_shape(text):
    """Parallel subheads of one feature share a shape: "加强创新推进，…", "开放破局 …"."""
    text = text.strip()
    if m := re.match(r"^([^，,\s]+)[，,]\S+$", text):
        return ("couplet", cjk_length(m[1]))
    if m := re.match(r"^(\S+)[ \u3000]+\S+$", text):
        return ("spaced", cjk_length(m[1]))
    return ("plain", cjk_length(text))


@dataclass
class Draft:
    """An article while it is being read."""

    position: int
    head_elements: list = field(default_factory=list)
    bylines: list = field(default_factory=list)
    body: BodyBuilder = field(default_factory=BodyBuilder)
    lead_chunks: list = field(default_factory=list)
    column: str = ""
    continued_to: str = ""
    continued_from: str = ""
    photo: bool = False
    parent: "Draft" = None
    closed: bool = False
    reasons: list = field(default_factory=list)
    numbers: set = field(default_factory=set)
    # Subheads read as such without proof: (text, shape). Each is flagged at
    # the end unless another subhead of the article shares its shape.
    unproven_subheads: list = field(default_factory=list)
    subhead_shapes: list = field(default_factory=list)
    # Opened by text with neither headline nor byline before it; proven when
    # the page's reading order settles both of its ends (see on_text).
    untitled_start: bool = False
    start_proven: bool = False
    closed_by_headline: bool = False  # (byline-first) closed by a headline the page proves

    @property
    def has_title(self):
        return bool(self.head_elements)

    doubled: list = field(default_factory=list)

    def take(self, element):
        self.numbers.update(element.numbers)
        self.doubled.extend(line.text for line in element.lines if line.doubled)


def reading_order(elements):
    """Which way this page reads, from the evidence at its edges.

    "## " headings mean headline first. Otherwise the first element of
    content decides: a byline opens byline-first pages, a headline opens
    headline-first pages.
    """
    if any(e.marked_title for e in elements):
        return HEAD_FIRST
    content = [e for e in elements if e.kind not in ("noise", "masthead", "header", "cont")]
    if not content:
        return HEAD_FIRST
    if content[0].kind == "byline":
        return BYLINE_FIRST
    if content[0].kind == "head":
        return HEAD_FIRST
    return BYLINE_FIRST


class PageReader:
    def __init__(self, text, known_columns=KNOWN_COLUMNS):
        self.known_columns = known_columns
        self.elements = split_elements(text)
        self.order = reading_order(self.elements)
        self.drafts = []
        self.current = None
        self.leftover = []  # elements of no article
        self.orphans = []
        self.page_reasons = []

    # -- helpers -----------------------------------------------------------

    def new_draft(self, parent=None):
        draft = Draft(position=len(self.drafts) + 1, parent=parent)
        self.drafts.append(draft)
        self.current = draft
        return draft

    def close(self):
        if self.current is not None:
            self.current.closed = True
            parent = self.current.parent
            self.current = parent if parent is not None and not parent.closed else None

    def next_content(self, i):
        """Index of the next element that is not noise or furniture."""
        j = i + 1
        while j < len(self.elements) and self.elements[j].kind in ("noise", "masthead", "header"):
            j += 1
        return j

    def head_group(self, i):
        """Indices of consecutive headline-like elements starting at i."""
        group = [i]
        j = i + 1
        while j < len(self.elements) and self.elements[j].kind == "head" and not self.elements[j].glued:
            if self.elements[j].marked_title and self.order == HEAD_FIRST and group:
                break
            if self.elements[j].first in SIDEBAR_LABELS:
                break  # a sidebar's label opens the sidebar, whatever stands above it
            group.append(j)
            j += 1
        return group

    def opens_article(self, j):
        """Does the content at j start an article of its own (not body text)?"""
        if j >= len(self.elements):
            return True
        element = self.elements[j]
        if element.kind in ("byline", "head", "cont"):
            return True
        if element.kind == "text":
            return bool(DATELINE.match(element.first)) or self.starts_photo(j - 1)
        return False

    # -- the pass ----------------------------------------------------------

    def read(self):
        i = 0
        while i < len(self.elements):
            element = self.elements[i]
            handler = getattr(self, f"on_{element.kind}")
            i = handler(i, element) or i + 1
        return self.drafts

    def on_noise(self, i, element):
        self.leftover.append(element)

    on_masthead = on_noise
    on_header = on_noise

    def on_cont(self, i, element):
        direction, label = element.cont
        target = self.current or (self.drafts[-1] if self.drafts else None)
        if direction == "上接" and (target is None or target.closed or target.body.has_text):
            # "Continued from" opens the rest of an article on this page.
            self.close()
            target = self.new_draft()
        if target is None:
            self.leftover.append(element)
            return
        target.take(element)
        if direction == "上接":
            target.continued_from = label
        else:
            target.continued_to = label

    def on_subhead(self, i, element):
        if self.current is None:
            self.leftover.append(element)
            return
        self.current.take(element)
        self.current.body.add_subhead(element.first)
        self.current.subhead_shapes.append(subhead_shape(element.first))

    def on_text(self, i, element):
        draft = self.current
        if draft is None or draft.closed:
            before = self.drafts[-1] if self.drafts else None
            draft = self.new_draft()
            if DATELINE.match(element.first) is None and not self.starts_photo(i):
                # In byline-first pages a headline proven to close the article
                # before proves this text starts the next one, if a headline
                # then closes it too; build_article checks that.
                draft.untitled_start = True
                draft.start_proven = (
                    self.order == BYLINE_FIRST and before is not None and before.closed_by_headline)
        draft.take(element)
        if not draft.body.has_text and not draft.lead_chunks and LEAD_MARK.match(element.first):
            return self.absorb_lead(i, draft)
        if draft.body.width is None:
            draft.body.set_width(element.lines)
        following = self.elements[i + 1] if i + 1 < len(self.elements) else None
        next_text = following.first if following is not None and following.kind == "text" else ""
        draft.body.add_chunk(element.lines, next_text)

    def absorb_lead(self, i, draft):
        """The paragraphs of a lead box share its (wider) line width.

        Returns the index of the first element after the lead.
        """
        width = max(cjk_length(line.text) for line in self.elements[i].lines)
        j = i
        while j < len(self.elements) and self.elements[j].kind == "text":
            lines = self.elements[j].lines
            if j > i and max(cjk_length(line.text) for line in lines) < 0.8 * width:
                break
            draft.lead_chunks.append(lines)
            draft.take(self.elements[j])
            j += 1
        return j

    def starts_photo(self, i):
        """Is the text after i a picture caption (a little text, then ■摄影)?"""
        k = self.next_content(i)
        length = 0
        while k < len(self.elements) and self.elements[k].kind == "text" and length < CAPTION_MAX:
            length += sum(cjk_length(t) for t in self.elements[k].texts)
            k = self.next_content(k)
        return length < CAPTION_MAX and k < len(self.elements) and self.elements[k].is_photo_credit()

    def on_byline(self, i, element):
        byline = element.byline
        draft = self.current
        if element.trailing:
            # "指导老师 A" closes the body it follows, never opens the next piece.
            target = draft if draft is not None else (self.drafts[-1] if self.drafts else None)
            if target is None:
                self.orphan(element, "前面没有正文")
                return
            target.bylines.append(byline)
            target.take(element)
            return
        if self.before_jump(i) and draft is not None and not draft.closed and draft.body.has_text:
            # "■记者 A" then "下转C2版": printed after its own body, which jumps.
            draft.bylines.append(byline)
            draft.take(element)
            return
        if element.is_photo_credit():
            if draft is None or draft.closed:
                draft = self.new_draft()
            draft.photo = True
            draft.bylines.append(byline)
            draft.take(element)
            return
        if self.order == BYLINE_FIRST:
            return self.byline_first_byline(i, element)
        # Headline first: the byline follows its headline.
        if draft is not None and not draft.closed and not draft.body.has_text:
            draft.bylines.append(byline)
            draft.take(element)
            return
        self.orphan(element, "署名前后没有可归属的标题")

    def byline_first_byline(self, i, element):
        draft = self.current
        j = self.next_content(i)
        nothing_follows = j >= len(self.elements) or self.elements[j].kind == "byline"
        if nothing_follows:
            last = self.drafts[-1] if self.drafts else None
            glued = (
                last is not None and not last.bylines and last.head_elements
                and not element.lines[0].new_block
                and max(last.numbers) == element.lines[0].number - 1
            )
            if glued:
                last.bylines.append(element.byline)
                last.take(element)
                last.reasons.append(guess(CREDIT, f"署名“{element.byline.text}”紧接标题之后、无正文跟随，按位置归属本文，请核对"))
                return
            self.orphan(element, "版面末尾的署名，没有可归属的正文")
            return
        if draft is not None and not draft.closed:
            if draft.has_title and (draft.body.has_text or draft.lead_chunks):
                self.new_draft(parent=draft)
            elif not draft.body.has_text and not draft.lead_chunks:
                draft.bylines.append(element.byline)
                draft.take(element)
                return
            else:
                draft.reasons.append(guess(BOUNDARY, "正文之后未见标题"))
                self.close()
                self.new_draft()
        else:
            self.new_draft()
        self.current.bylines.append(element.byline)
        self.current.take(element)

    def runs_into_text(self, head, j):
        """A paragraph's first lines cut off by a column break, not a headline.

        The lines fill the column of the text that follows (the first may be
        indented), and that text does not open a paragraph (its first line is
        full, not indented).
        """
        if head.doubled or head.marked_title or head.glued:
            return False
        if j >= len(self.elements) or self.elements[j].kind != "text" or len(self.elements[j].lines) < 2:
            return False
        following = self.elements[j]
        if REPORT_OPENER.match(following.first) or LEAD_MARK.match(following.first):
            return False
        # The column's width: the commonest length of the lines between the
        # chunk's first (maybe indented) and last (maybe short) lines.
        middle = [cjk_length(t) for t in following.texts[1:-1]]
        if not middle:
            return False
        width = max(set(middle), key=lambda n: (middle.count(n), n))
        lengths = [cjk_length(t) for t in head.texts]
        return (
            width >= 10
            and width - 2 <= lengths[0] <= width + 1
            and all(width - 1 <= n <= width + 1 for n in lengths[1:])
            and cjk_length(following.first) >= width
        )

    def opens_paragraph(self, draft, j):
        """Does the text at j open a paragraph (its first line indented short of the column)?

        Lines that end no sentence cannot run on into it: they are no body text.
        """
        if draft.body.mid_paragraph or not draft.body.width or j >= len(self.elements):
            return False
        following = self.elements[j]
        return (following.kind == "text" and len(following.lines) > 1
                and cjk_length(following.first) <= draft.body.width - 2)

    def before_jump(self, i):
        """Is the element at i followed by a "下转" note?"""
        j = self.next_content(i)
        return j < len(self.elements) and self.elements[j].kind == "cont" and self.elements[j].cont[0] != "上接"

    def on_voxpop(self, i, element):
        """A vox-pop speaker ("张某", "（某镇某村村民）"): a heading inside the article, no credit."""
        draft = self.current or (self.drafts[-1] if self.drafts else None)
        if draft is None:
            self.leftover.append(element)
            return
        draft.take(element)
        draft.body.add_subhead("".join(element.texts))

    def orphan(self, element, why):
        self.orphans.append(element.byline)
        self.leftover.append(element)
        self.page_reasons.append(f"无主署名：{element.byline.text}（{why}）")

    def on_head(self, i, element):
        group = self.head_group(i)
        end = group[-1] + 1
        j = self.next_content(group[-1])
        if len(group) > 1 and self.runs_into_text(self.elements[group[-1]], j):
            # The last line is the first of the body, cut off by a column break.
            group.pop()
            end = group[-1] + 1
        elif len(group) == 1 and self.runs_into_text(element, j):
            element.kind = "text"
            return self.on_text(i, element)
        draft = self.current
        open_draft = draft is not None and not draft.closed
        heads = [self.elements[k] for k in group]
        if self.order == HEAD_FIRST:
            return self.head_first_head(heads, end, j, open_draft)
        return self.byline_first_head(heads, end, j, open_draft)

    def head_first_head(self, heads, end, j, open_draft):
        draft = self.current
        if (label := self.sidebar_label(heads, end)) is not None:
            return label
        if (open_draft and draft.has_title and draft.bylines and not draft.body.has_text and not draft.lead_chunks
                and not heads[0].marked_title and j < len(self.elements) and self.elements[j].kind == "text"):
            # Headline, byline, then this: an article has its body after its
            # byline, so these lines open it (a first line cut off by a column
            # break, or a subhead), not another article.
            self.body_heads(draft, heads)
            return end
        if open_draft and (draft.body.has_text or draft.lead_chunks) and not heads[0].marked_title:
            starts, why = self.heads_start_article(draft, heads, j)
            if not starts:
                self.body_heads(draft, heads, proven=why is None)
                return end
            if why:
                draft.reasons.append(why)
        else:
            why = None
        if j >= len(self.elements) and self.drafts:
            # Labels left at the foot of the page: the last line is the column
            # of the article they stand beside, the rest a banner of the page.
            last = self.drafts[-1]
            labels = [line for h in heads for line in h.lines]
            last.column = last.column or labels[-1].text
            last.numbers.add(labels[-1].number)
            banner = [line for line in labels[:-1]]
            if banner:
                self.leftover.append(Element("head", banner))
            return end
        self.close()
        draft = self.new_draft()
        self.set_headline(draft, heads)
        if why:
            draft.reasons.append(why)
        return end

    def byline_first_head(self, heads, end, j, open_draft):
        draft = self.current
        glued = heads[-1].glued
        if open_draft and not draft.has_title and not draft.body.has_text and not draft.lead_chunks and draft.bylines:
            # The title printed right under the byline, before the body.
            self.set_headline(draft, heads)
            return end
        if open_draft and not draft.has_title and (draft.body.has_text or draft.lead_chunks):
            starts, why = (True, None) if glued else self.heads_start_article(draft, heads, j)
            if starts:
                # The headline closes its article; what follows is the next one.
                self.set_headline(draft, heads)
                if why:
                    draft.reasons.append(why)
                draft.closed_by_headline = why is None
                self.close()
                return end
            self.body_heads(draft, heads, proven=why is None)
            return end
        if open_draft and draft.has_title:
            if not glued and j < len(self.elements) and self.elements[j].kind == "byline":
                label = " ".join(h.first for h in heads)
                if label in SIDEBAR_LABELS or label in self.known_columns or len(heads) == 1:
                    return self.start_labelled(heads, end)
            self.body_heads(draft, heads, proven=False)
            return end
        # No open article: a label standing before the next byline, or a
        # headline whose article has no byline (photo captions come first).
        if j < len(self.elements) and self.elements[j].kind == "byline" and not self.elements[j].is_photo_credit():
            label = " ".join(h.first for h in heads)
            parent = self.last_main() if label in SIDEBAR_LABELS else None
            return self.start_labelled(heads, end, parent=parent)
        if self.drafts and not self.drafts[-1].has_title and self.drafts[-1].closed:
            self.set_headline(self.drafts[-1], heads)
            return end
        draft = self.new_draft()
        self.set_headline(draft, heads)
        draft.reasons.append(guess(BOUNDARY, "标题后未见正文"))
        return end

    def last_main(self):
        """The latest article that is not itself a sidebar."""
        return next((d for d in reversed(self.drafts) if d.parent is None), None)

    def sidebar_label(self, heads, end):
        """"采访札记" over a title, after an article's body: a sidebar of that article."""
        label = heads[0].first
        main = self.last_main()
        if label not in SIDEBAR_LABELS or main is None or not (main.body.has_text or main.lead_chunks):
            return None
        self.close()
        draft = self.new_draft(parent=main)
        draft.column = label
        draft.take(heads[0])
        if len(heads) > 1:
            self.set_headline(draft, heads[1:])
        return end

    def heads_start_article(self, draft, heads, j):
        """Do headline-like lines met inside an article's body head another article?

        Returns (starts, reason): reason is None when the page proves the
        answer and names the guess otherwise. Proof of a new article: what
        follows opens one (a byline, a dateline, another headline, a note,
        the end of the page), a "——" deck (subheads carry none), or a body
        already ended with "下转". Proof of a subhead: the article already
        has a subhead of the same shape, or only its lead so far.
        """
        if self.opens_article(j):
            return True, None
        if not draft.body.has_text:
            return False, None
        texts = [line.text for h in heads for line in h.lines]
        title = headlines.join_title_lines(heads[0].texts)
        if any(t.startswith(("—", "－")) for t in texts) or draft.continued_to:
            return True, None
        # Parts stacked line under line (title over deck) count as parts.
        parts = sum(len(headlines.split_parts(headlines.lines_of(h.lines, h.marked_title))) for h in heads)
        if parts == 1 and _is_fragment(draft, heads[0], title) and not self.opens_paragraph(draft, j):
            return False, None
        if subhead_shape(title) in draft.subhead_shapes:
            return False, None
        if draft.photo:
            # A picture's caption ends with its photo credit.
            return True, None
        if m := DATELINE.match(draft.body.opening):
            return True, guess(
                BOUNDARY, f"本文以“{m[1]}”开头，是消息，消息少有小标题：“{title}”按另一篇（无署名）文章的标题处理；如是小标题，请合并")
        following = self.elements[j].first if j < len(self.elements) else ""
        if m := REPORT_OPENER.match(following):
            return True, guess(
                BOUNDARY, f"“{title}”之后的正文以“{m[0]}”开头，按另一篇（无署名）文章处理；如是小标题，请合并")
        if parts > 1 and not any(_caption_like(t) for t in texts[1:]):
            return True, guess(BOUNDARY, f"“{'／'.join(texts)}”有多个标题部分，按另一篇（无署名）文章的标题处理；如是小标题，请合并")
        if len(heads) > 1 and all(_caption_like(t) for t in texts[len(heads[0].texts):]):
            # A run of picture captions under it: the feature's own pictures.
            return False, None
        return False, "unproven"

    def start_labelled(self, heads, end, parent="current"):
        """A column label stands before the byline of the piece it names."""
        if parent == "current":
            parent = self.current
        draft = self.new_draft(parent=parent)
        draft.column = " ".join(h.first for h in heads)
        for h in heads:
            draft.take(h)
        return end

    def body_heads(self, draft, heads, proven=True):
        """Headline-like lines inside a body: a subhead, then picture captions.

        proven=False: nothing but the default says the first line is a
        subhead; it is flagged at the end unless a sibling shares its shape.
        """
        for n, head in enumerate(heads):
            draft.take(head)
            lines = head.lines
            text = headlines.join_title_lines([l.text for l in lines])
            is_fragment = _is_fragment(draft, head, text)
            if is_fragment:
                draft.body.add_chunk(lines)
            elif n == 0 or len(lines) > 1:
                draft.body.add_subhead(text)
                draft.subhead_shapes.append(subhead_shape(text))
                if not proven and n == 0:
                    draft.unproven_subheads.append(text)
            else:
                draft.body.add_caption(text)

    def set_headline(self, draft, heads):
        draft.head_elements = list(heads)
        for h in heads:
            draft.take(h)


def _is_fragment(draft, head, text):
    """A short line that is the middle of a sentence, not a heading.

    Bold text can still be the middle of a sentence ("…做大做强的"); plain
    text is, when the paragraph before it has not ended its sentence.
    """
    if text[-1] in "，、,":
        return True
    if text[-1] in DANGLING:
        # "…做大做强的" runs on; a title may end in 了 ("夜校开课了").
        return text[-1] != "了" or len(head.lines) > 1 or draft.body.mid_paragraph
    if head.doubled or _standalone(text):
        return False
    # One line after a finished sentence stands on its own (a title with
    # quotes: "“暑期乐购消费券”今起发放"); two lines shaped like a wrapped
    # paragraph (the second fills the column, the first as long or indented)
    # run on as text; lines of other lengths are a headline set line under line.
    # A clause with a comma that is no couplet is a sentence broken by a column.
    return draft.body.mid_paragraph or _wrapped_run(head, draft.body.width) or bool(re.search(r"[，,、]", text))


def _wrapped_run(head, width=None):
    """Are these lines shaped like this article's wrapped paragraphs?

    Its column width (the article's median line) when known: a line that
    does not fill it (and ends no sentence) is no wrapped body line.
    """
    if len(head.lines) < 2:
        return False
    widths = [cjk_length(t) for t in head.texts]
    column = widths[1] if width is None else width
    return (column >= 12 and all(column - 1 <= w <= column + 1 for w in widths[1:])
            and column - 3 <= widths[0] <= column + 1)


def _caption_like(text):
    """A picture caption reads as a clause: "今年6月，嘉吉新项目盛大开业"."""
    return bool(re.search(r"[，,、]", text)) and not text.startswith(("—", "－"))


def _standalone(text):
    return is_subhead_text(text) or is_subhead_text(text.replace(" ", ""))


def parse_page(text, known_columns=KNOWN_COLUMNS):
    """Parse one page's text into a PageRecord. Pure: text in, records out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    reader = PageReader(text, known_columns)
    drafts = reader.read()
    page = PageRecord()

    furniture = [e for e in reader.elements if e.kind == "masthead"]
    if furniture:
        lines = [line.text for e in furniture for line in e.lines]
        numbers = [line.number for e in furniture for line in e.lines]
        page.masthead = parse_masthead(lines, numbers)
        page.edition = page.masthead.edition
        if page.masthead.section_letter and page.masthead.date:
            page.label = f"{page.masthead.section_letter}1"
    for e in reader.elements:
        if e.kind == "header":
            section, label = parse_page_header(e.first)
            page.section, page.label = section, label

    # Drafts are numbered in reading order and each becomes one article.
    page.articles = [build_article(draft, known_columns) for draft in drafts]

    raw_lines = text.split("\n")
    for record in page.articles:
        record.spans = source_spans(record.lines, raw_lines)

    page.orphan_bylines = reader.orphans
    page.review_reasons = list(reader.page_reasons)
    used = set()
    for record in page.articles:
        used.update(record.lines)
    for e in reader.leftover:
        for line in e.lines:
            if line.number not in used:
                page.leftover.append((line.number, line.text))
    # Anything no element claimed is kept as leftover too: nothing is lost.
    claimed = used | {n for n, _ in page.leftover}
    for number, raw in enumerate(raw_lines):
        if raw.strip() and number not in claimed:
            page.leftover.append((number, raw.strip()))
    page.leftover.sort()
    return page


def source_spans(numbers, raw_lines):
    """Runs of the given line numbers, bridging only blank lines."""
    spans = []
    for number in sorted(set(numbers)):
        if spans and all(not raw_lines[k].strip() for k in range(spans[-1][1] + 1, number)):
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return spans


def build_article(draft, known_columns):
    blocks = draft.body.finish()
    dateline, blocks = split_dateline(blocks)
    record = ArticleRecord(position=draft.position)
    if draft.parent is not None:
        record.parent_position = draft.parent.position
    record.lines = sorted(draft.numbers)
    record.column = draft.column
    record.continued_to = draft.continued_to
    record.continued_from = draft.continued_from
    record.dateline = dateline
    reasons = list(draft.reasons)
    if draft.untitled_start and not (draft.start_proven and draft.closed_by_headline):
        reasons.insert(0, guess(BOUNDARY, "无标题无署名的正文，按另一篇文章处理；可能接续上文或他版"))
    if draft.lead_chunks:
        lead = BodyBuilder()
        for chunk in draft.lead_chunks:
            lead.add_chunk(chunk)
        record.lead = "\n\n".join(b.text for b in lead.finish())
    record.blocks = blocks
    for byline in draft.bylines:
        record.credits.extend(byline.credits)
        reasons.extend(r for r in byline.reasons if r not in reasons)
    record.byline = "\n".join(byline.text for byline in draft.bylines)
    if draft.head_elements:
        head_lines = []
        for element in draft.head_elements:
            for n, line in enumerate(element.lines):
                head_lines.append(headlines.HeadLine(
                    text=line.text, lines=[line.number], doubled=line.doubled,
                    marked_title=element.marked_title, new_block=(n == 0),
                ))
        headline = headlines.assign(head_lines, known_columns)
        record.kicker, record.title, record.subtitle = headline.kicker, headline.title, headline.subtitle
        if headline.column and not record.column:
            record.column = headline.column
        if headline.uncertain:
            reasons.append(guess(HEADLINE, f"标题结构不确定，{headline.uncertain}"))
        if headline.joined:
            reasons.append(guess(HEADLINE, f"相邻两行“{headline.joined}”按同一标题部分连读；如是引题/主题/副题，请拆开"))
    if not record.title:
        record.title = "（无题）"
        reasons.append(guess(HEADLINE, "未识别出标题"))
    doubled = draft.doubled
    if doubled:
        reasons.append("已修复重复提取的粗体文字：" + "；".join(doubled[:3]) + ("等" if len(doubled) > 3 else ""))
    if draft.body.reordered:
        reasons.append("小标题位于各节之后，已移至各节之前")
    for text in draft.unproven_subheads:
        if draft.subhead_shapes.count(subhead_shape(text)) < 2:
            reasons.append(guess(BOUNDARY, f"“{text}”按本文小标题处理；如是另一篇（无署名）文章的标题，请拆分"))
    record.kind = classify(record, draft)
    record.review_reasons = reasons
    return record


def classify(record, draft):
    roles = {c.role for c in record.credits}
    if draft.parent is not None:
        return "sidebar"
    if draft.photo and len(record.body) < 400:
        return "photo"
    if "commentator" in roles:
        return "commentary"
    if record.subtitle.startswith("——访") or "访谈" in record.column:
        return "interview"
    if roles == {"author"} and not record.dateline:
        return "commentary"
    if not record.dateline:
        # Reports open with 本报讯; longer pieces without it are 通讯.
        return "feature"
    if len(record.body) < 200:
        return "brief"
    return "news"
