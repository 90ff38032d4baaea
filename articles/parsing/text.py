"""Character-level repair of extracted page text.

PDF extraction leaves three kinds of damage this module undoes: lines
hard-wrapped inside words, bold runs extracted two or three times, and
justification spaces around numbers.
"""

import re

# Sentence-final marks: a line ending in one of these may end a paragraph.
TERMINAL = set("。！？!?…；;")
CLOSING = set("”’」』）)】》")
CJK = r"\u3400-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")

_SPACE_BEFORE_NUMBER = re.compile(rf"(?<=[{CJK}，。、：；！？“”（）《》])[ \u3000]+(?=[0-9A-Za-z])")
_SPACE_AFTER_NUMBER = re.compile(rf"(?<=[0-9A-Za-z%.])[ \u3000]+(?=[{CJK}，。、：；！？“”（）《》])")
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)[ \u3000]+(?=[\d.%])")


def ends_sentence(line):
    """True when a line ends a sentence, allowing closing quotes after the mark."""
    stripped = line.rstrip()
    while stripped and stripped[-1] in CLOSING:
        if len(stripped) >= 2 and stripped[-2] in TERMINAL:
            return True
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in TERMINAL


def cjk_length(text):
    """Length in characters, ignoring spaces: the width of a printed line."""
    return len(re.sub(r"\s", "", text))


def tidy_spaces(text):
    """Drop the spaces typesetting puts between Chinese text and numbers.

    "产业 10余年" and "4 亿美元" were set with justification space; spaces
    between two Chinese words are kept because titles use them as separators.
    """
    text = _SPACE_BEFORE_NUMBER.sub("", text)
    text = _SPACE_AFTER_NUMBER.sub("", text)
    text = _SPACE_IN_NUMBER.sub("", text)
    return text.strip()


def join_wrapped(lines):
    """Join hard-wrapped lines: Chinese needs no space where a line breaks.

    A space is kept only between two Latin letters, where the break fell
    between two words.
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out


# --- doubled bold runs -----------------------------------------------------

MAX_UNIT = 40


def _decompose(s, k):
    """Split s into runs u1*k + u2*k + ... covering all of s, longest units first.

    Returns the list of units, or None when s is not made of k-fold runs.
    Searching from the left rejects ordinary text at its first character,
    which keeps this cheap for every line of a page.
    """
    n = len(s)
    if n == 0 or n % k:
        return None
    failed = set()

    def search(i):
        if i == n:
            return []
        if i in failed:
            return None
        for size in range(min(MAX_UNIT, (n - i) // k), 0, -1):
            unit = s[i : i + size]
            end = i + size * k
            if s[i:end] == unit * k:
                rest = search(end)
                if rest is not None:
                    return [unit] + rest
        failed.add(i)
        return None

    return search(0)


def _is_evidence(units):
    """Repeated runs prove doubling only when some run is longer than one char.

    "谢谢", "常常" and the "66" of a number are genuine repeats of a single
    character, and numbers such as 1111 or 2020 repeat digits; a line rebuilt
    wholly from runs of words is not.
    """
    return any(len(unit.strip()) >= 2 and not unit.strip().isdigit() for unit in units)


def undouble(line):
    """Repair a line whose bold runs were extracted two or three times.

    The whole line must consist of repeated runs (space tokens are checked one
    by one, since the extractor does not double the spaces between runs), or a
    long stretch at its start or end must, so that genuine repeats survive.
    Returns (text, repaired?).
    """
    stripped = line.strip()
    if len(stripped) < 2:
        return line, False
    for k in (2, 3):
        tokens = stripped.split()
        repaired = []
        evidence = False
        for token in tokens:
            units = _decompose(token, k)
            if units is None:
                break
            evidence = evidence or _is_evidence(units)
            repaired.append("".join(units))
        else:
            if evidence:
                return " ".join(repaired), True
    fixed = _undouble_edges(stripped) if len(stripped) <= MAX_EDGE_LINE and _REPEAT.search(stripped) else None
    if fixed is not None:
        return fixed, True
    return line, False


MIN_PARTIAL = 8
# Doubling inside a line has only been seen in hard-wrapped columns; long
# unwrapped paragraph lines are checked whole only, which keeps this linear.
MAX_EDGE_LINE = 80
_REPEAT = re.compile(r"(..+?)\1")  # characters of a doubled stretch inside an otherwise plain line


def _undouble_edges(s):
    """Repair a doubled stretch that starts or ends a line mid-way.

    Bold emphasis can begin in the middle of a line ("政务、法治法治、、市场市场").
    Only a long stretch (MIN_PARTIAL characters, with multi-character runs)
    counts as evidence.
    """
    n = len(s)
    for start in range(0, n - MIN_PARTIAL + 1):
        units = _decompose(s[start:], 2)
        if units is not None and _is_evidence(units) and sum(len(u) for u in units) * 2 >= MIN_PARTIAL:
            return s[:start] + "".join(units)
    for end in range(n, MIN_PARTIAL - 1, -1):
        units = _decompose(s[:end], 2)
        if units is not None and _is_evidence(units) and end >= MIN_PARTIAL and end < n:
            return "".join(units) + s[end:]
    return None
