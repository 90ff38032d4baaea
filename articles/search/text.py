"""The text every engine and the query language share: normalisation, character n-grams, jieba words.

Recall rests on character n-grams, not on word segmentation: every literal
substring of length >= 2 is a run of overlapping bigrams at consecutive
positions, so a phrase query over bigrams finds it whatever jieba would have
made of the context; a one-character query is a unigram. jieba words are
indexed beside them only to rank whole-word matches higher.

Normalisation folds what a reader cannot see or does not mean: full-width
ASCII (，：（ＡＢ１２) to ASCII, case, quote and dash variants, all
whitespace (the typesetting spaces in "王 强" and line ends), invisible format
marks (Unicode category Cf: U+200B, U+200F, U+FEFF ...), and the script:
Traditional characters fold to Simplified (營商環境 -> 营商环境), so a query
in either script finds text printed in either. The same fold is used for
documents, queries, jieba and highlighting, so they always agree.

The script fold is OpenCC's, taken one character at a time: every character
maps to one character or to nothing, so the folded text still lines up with
the printed one and a highlight marks exactly the characters printed. What
OpenCC decides only from a whole phrase is lost that way; docs/search.md
lists what that means for readers.
"""

import bisect
import threading
import unicodedata
from itertools import chain

import opencc

# Parts of one document (headline, body, names) are joined with this; a
# bigram never spans it, so a query cannot match across two parts.
PART_SEPARATOR = "\x1f"
# Positions skipped at a separator; large enough that no phrase bridges it.
PART_GAP = 100


def _format_characters():
    """{code: None} for every character of Unicode category Cf (format)."""
    # Every Cf character sits below U+20000 or in the tag block; scanning
    # those (15 ms) instead of all of Unicode (0.6 s) keeps start-up quick.
    codes = chain(range(0x20000), range(0xE0000, 0xE0080))
    return {code: None for code in codes if unicodedata.category(chr(code)) == "Cf"}


# Unicode's Default_Ignorable_Code_Point characters outside category Cf
# (DerivedCoreProperties.txt: Hangul fillers, variation selectors, the
# combining grapheme joiner...), and the Braille blank, which renders as a
# space: a reader cannot see them, so a query or a text holding them must
# match as if they were not there.
INVISIBLE_FILLERS = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x2800, 0x2800),
    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
FORMAT_CHARACTERS = {**_format_characters(),
                     **{code: None for low, high in INVISIBLE_FILLERS for code in range(low, high + 1)}}


def strip_format_characters(text):
    """``text`` without the characters nobody sees (format marks, fillers)."""
    return (text or "").translate(FORMAT_CHARACTERS)


def _fold_table():
    table = {}
    # Full-width ASCII block -> ASCII.
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0)
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
    for code in range(0xFF21, 0xFF3B):  # full-width capitals -> lower ASCII
        table[code] = chr(code - 0xFEE0 + 32)
    equivalents = {
        "“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"',
        "‘": "'", "’": "'",
        "〔": "(", "〕": ")", "【": "[", "】": "]",
        "－": "-", "‐": "-", "‑": "-", "–": "-",
        "·": "·", "•": "·", "・": "·",
        "～": "~", "〜": "~",
        "。": "。", "．": ".",
    }
    for src, dst in equivalents.items():
        table[ord(src)] = dst
    # Whitespace of any width is typesetting, never content.
    for space in " \t\r\n\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff":
        table[ord(space)] = None
    # Invisible format marks (zero-width spaces and joiners, direction marks,
    # byte order marks, soft hyphens) come with pasted text and mean nothing.
    table.update(FORMAT_CHARACTERS)
    return table


# OpenCC's Hong Kong Traditional -> Simplified configuration: its character
# table is OpenCC's standard t2s table plus a few Hong Kong forms (衞 敍 粧).
# tw2s was not taken: its Taiwan table folds 么 into 幺 (什么 would become 什幺).
SCRIPT_CONFIG = "hk2s"
# Characters below this (Latin, punctuation, kana, Hangul...) are never converted.
_FIRST_HAN = 0x2E80

_converter = None
_converter_lock = threading.Lock()


def _opencc():
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                _converter = opencc.OpenCC(SCRIPT_CONFIG)
    return _converter


def simplified_char(char):
    """``char`` in Simplified script by OpenCC's character table, or ``char`` itself.

    Converted alone, so no phrase rule applies; a conversion to several
    characters (none in OpenCC 1.4) is refused to keep offsets aligned, and
    a chain (薴 -> 苧 -> 苎) is followed to its end so folding is idempotent.
    """
    seen = char
    for _ in range(4):
        converted = _opencc().convert(seen)
        if len(converted) != 1 or converted == seen:
            break
        seen = converted
    return seen


class _FoldTable(dict):
    """FOLD for ``str.translate``, learning each other character's script fold the first time it is seen.

    A text holds a few thousand distinct characters, so OpenCC runs a few
    thousand times per process however much is indexed. Characters that stay
    as they are map to their own code: a hit is faster for ``translate``
    than the KeyError of a missing one, so folding got faster, not slower.
    """

    def __missing__(self, code):
        value = code
        if code >= _FIRST_HAN:
            converted = simplified_char(chr(code))
            if converted != chr(code):
                value = converted
        self[code] = value
        return value


BASE_FOLD = _fold_table()
FOLD = _FoldTable(BASE_FOLD)
DROPPED = frozenset(chr(code) for code, mapped in FOLD.items() if mapped is None)

# What decides the indexed terms: an index written under another version is
# rebuilt by bin/run (bin/lib/ensure_index.py). Raise the number when the fold
# or the tokenizers change; an OpenCC upgrade changes it by itself.
ANALYSIS_VERSION = f"fold 4, OpenCC {opencc.__version__} {SCRIPT_CONFIG} per character"


def fold(text):
    """The normalised form of ``text`` used by index, query and highlighter."""
    return (text or "").translate(FOLD)


def script_table(ranges=((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x323B0))):
    """{character: its Simplified form} for every Han character the script fold changes.

    The whole table, for an engine that must be given it up front (the
    cluster's char filter, see engines/cluster/mapping.py); about 4,600
    entries, built in about half a second.
    """
    table = {}
    for low, high in ranges:
        for code in range(low, high):
            char = chr(code)
            converted = simplified_char(char)
            if converted != char:
                table[char] = converted
    return table


def fold_with_offsets(text):
    """(folded text, list mapping each folded character to its source index).

    FOLD maps a character to one character or to nothing, so the folded
    string lines up with the source indexes of the characters it kept.
    """
    text = text or ""
    folded = text.translate(FOLD)
    if len(folded) == len(text):  # nothing dropped: each character stays where it was
        return folded, range(len(text))
    dropped = []
    for char in DROPPED.intersection(text):  # a few distinct ones (line breaks, fillers): found by str.find
        at = text.find(char)
        while at != -1:
            dropped.append(at)
            at = text.find(char, at + 1)
    return folded, _Offsets(sorted(dropped), len(folded))


class _Offsets:
    """Source index of each folded character, computed when asked: a marked snippet asks for a few of a long text.

    The folded character at index f has f kept characters before it; the
    dropped character at source index p has p - j kept ones before it (j:
    the dropped ones before it), so it comes before f when p - j <= f.
    """

    def __init__(self, dropped, length):
        self.kept_before = [p - j for j, p in enumerate(dropped)]
        self.length = length

    def __len__(self):
        return self.length

    def __getitem__(self, f):
        if not -self.length <= f < self.length:
            raise IndexError(f)
        f %= self.length
        return f + bisect.bisect_right(self.kept_before, f)


def bigrams(folded):
    """Overlapping character bigrams of an already folded string without separators."""
    return [folded[i:i + 2] for i in range(len(folded) - 1)]


_segmenter_lock = threading.Lock()
_segmenter = None


def configure_jieba():
    """Point jieba's cache into the data dir and load the local names.

    jieba's default cache file in /tmp is readable only by whoever created it
    first, which breaks a second user (the web server vs. a shell).
    """
    import jieba

    from articles.search import dictionary

    cache_dir = dictionary.cache_dir()
    jieba.dt.tmp_dir = str(cache_dir)
    jieba.dt.cache_file = str(cache_dir / "jieba.cache")
    jieba.setLogLevel(60)
    jieba.dt.initialize()
    dictionary.load_into(jieba.dt, fold)
    return jieba.dt


def segmenter():
    """The word segmenter of this process, set up once: a ``cut(text)`` callable.

    rjieba (jieba's dictionary and algorithm in Rust, same words on our pages,
    ~20x faster; see docs/dependencies.md) when installed, jieba otherwise.
    Both get the local-names dictionary.
    """
    global _segmenter
    if _segmenter is not None:
        return _segmenter
    with _segmenter_lock:
        if _segmenter is None:
            from articles.search import dictionary

            try:
                import rjieba
            except ImportError:
                dt = configure_jieba()
                _segmenter = lambda text: dt.cut(text, HMM=True)  # noqa: E731
            else:
                dictionary.load_into(rjieba, fold)
                _segmenter = lambda text: rjieba.cut(text, hmm=True)  # noqa: E731
    return _segmenter


def words(text):
    """Words of folded ``text`` (punctuation dropped)."""
    return [w for w in segmenter()(fold(text)) if any(c.isalnum() for c in w)]
