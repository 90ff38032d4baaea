"""Article bodies: paragraphs rebuilt from wrapped lines, with inline subheads.

Blank lines in extracted text mark column breaks as often as paragraph
breaks, so a paragraph ends only where a sentence ends: at the end of a chunk
whose last line ends a sentence, or inside a chunk at a sentence-ending line
clearly shorter than the column.
"""

import re
from functools import lru_cache
from pathlib import Path
from statistics import median

from .elements import DATELINE
from .records import Block
from .text import cjk_length, ends_sentence, join_wrapped, tidy_spaces

# Chinese function characters that cannot end a heading ("…企业对经济增长的").
DANGLING = "的了在和与及是为对把被从向以将而并等之由于或且"
LEAD_MARK = re.compile(r"^(核心提示|编者按|导读)[：:]")


def is_couplet(text):
    """"加强创新推进，构建大党建新格局": two balanced halves, the shape of a subhead."""
    halves = re.split(r"[，,]", text)
    if len(halves) != 2:
        return False
    a, b = (cjk_length(h) for h in halves)
    return min(a, b) >= 4 and max(a, b) <= 1.5 * min(a, b) and text[-1] not in DANGLING


def is_subhead_text(text):
    """A line that can stand as an inline subhead on its own."""
    if ends_sentence(text) or text[-1] in "，、：:,;；" or text[-1] in DANGLING:
        return False
    length = cjk_length(text)
    if not 4 <= length <= 24:
        return False
    if re.search(r"[，,]", text):
        return is_couplet(text)
    return not re.search(r"[。；？！?!：:“”]", text)


_cache_dir = Path.home() / ".cache" / "phnews"


def set_cache_dir(path):
    """Where jieba keeps its dictionary cache: the archive sets its data directory.

    jieba's default is a file in /tmp that only its creator can read.
    """
    global _cache_dir
    _cache_dir = Path(path)


@lru_cache(maxsize=1)
def _tokenizer():
    """A private jieba tokenizer with the stock dictionary, loaded once."""
    import jieba

    cache_dir = _cache_dir
    cache_dir.mkdir(parents=True, exist_ok=True)
    jieba.setLogLevel(40)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir)
    tokenizer.cache_file = "jieba-parser.cache"
    return tokenizer


def continues_word(line, next_text):
    """Does a word run on from the end of line into next_text ("…部门自" + "身…")?"""
    if not next_text:
        return False
    head, tail = line[-4:], next_text[:4]
    offset = 0
    for word in _tokenizer().cut(head + tail, HMM=False):
        if offset < len(head) < offset + len(word):
            return True
        offset += len(word)
    return False


class BodyBuilder:
    """Accumulates an article's body from elements in reading order."""

    def __init__(self):
        self.blocks = []
        self._lines = []  # lines of the paragraph being built
        self.width = None  # typical printed line width of this article
        self.reordered = False

    # -- input -------------------------------------------------------------

    def set_width(self, lines):
        lengths = [cjk_length(line.text) for line in lines if cjk_length(line.text) >= 6]
        if lengths:
            self.width = median(lengths)

    def add_chunk(self, lines, next_text=""):
        """A chunk of consecutive source lines (no blank line inside).

        next_text is the first line of the body chunk that follows, if any:
        a subhead at the end of this chunk must not run on into it.
        """
        for index, line in enumerate(lines):
            text = line.text
            after_sentence = not self._lines or ends_sentence(self._lines[-1])
            following = lines[index + 1].text if index + 1 < len(lines) else next_text
            if after_sentence and self._is_inline_subhead(text, lines, index, following):
                self._flush()
                self.blocks.append(Block(tidy_spaces(text), "subhead"))
                continue
            self._lines.append(text)
            # A short line ending a sentence ends its paragraph, unless it is
            # the paragraph's own first line (short because indented).
            if ends_sentence(text) and index < len(lines) - 1 and len(self._lines) > 1 and self._is_short(text):
                self._flush()
        if self._lines and ends_sentence(self._lines[-1]):
            self._flush()

    def add_subhead(self, text):
        self._flush()
        self.blocks.append(Block(tidy_spaces(text), "subhead"))

    def add_caption(self, text):
        self._flush()
        self.blocks.append(Block(tidy_spaces(text), "caption"))

    def _is_inline_subhead(self, text, lines, index, following):
        """A subhead standing alone, or glued to the edge of a chunk of body lines."""
        if not is_subhead_text(text) or DATELINE.match(text) or continues_word(text, following):
            return False
        if len(lines) == 1:
            return True
        # Inside a chunk only a couplet ("加强创新推进，构建大党建新格局") at
        # the chunk's edge is evidence enough: a plain short line there is far
        # more often the first line of a paragraph, which is indented.
        if not is_couplet(text):
            return False
        if index == 0:
            return len(lines) == 2 and cjk_length(text) >= cjk_length(lines[1].text)
        return index == len(lines) - 1 and ends_sentence(lines[index - 1].text)

    def _is_short(self, text):
        return self.width is not None and cjk_length(text) <= self.width - 3

    def _flush(self):
        if self._lines:
            self.blocks.append(Block(tidy_spaces(join_wrapped(self._lines)), "p"))
            self._lines = []

    # -- output ------------------------------------------------------------

    def finish(self):
        self._flush()
        blocks = [b for b in self.blocks if b.text]
        if _subheads_trail(blocks):
            blocks = _move_subheads_forward(blocks)
            self.reordered = True
        return blocks

    @property
    def opening(self):
        """The first words of the body."""
        for block in self.blocks:
            if block.kind == "p":
                return block.text
        return self._lines[0] if self._lines else ""

    @property
    def mid_paragraph(self):
        """The last paragraph has not ended its sentence: a column break fell inside it."""
        return bool(self._lines) and not ends_sentence(self._lines[-1])

    @property
    def has_text(self):
        return bool(self._lines) or any(b.kind == "p" for b in self.blocks)


def _subheads_trail(blocks):
    """Subheads printed after their sections: the body ends on a subhead."""
    kinds = [b.kind for b in blocks if b.kind != "caption"]
    return "subhead" in kinds and kinds[-1] == "subhead" and kinds[0] == "p"


def _move_subheads_forward(blocks):
    """Put each trailing subhead in front of the section it followed."""
    out = []
    section = []
    for block in blocks:
        if block.kind == "subhead":
            out.append(block)
            out.extend(section)
            section = []
        else:
            section.append(block)
    return out + section


def split_dateline(blocks):
    """"本报讯" opens a report: a dateline, kept apart from the searchable body."""
    if blocks and blocks[0].kind == "p" and (m := DATELINE.match(blocks[0].text)):
        first = Block(blocks[0].text[m.end():].strip(), "p")
        return m[1], ([first] if first.text else []) + blocks[1:]
    return "", blocks
