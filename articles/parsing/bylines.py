"""Bylines: "■记者 林旭东 通讯员 王晨慧", "■摄影 王 强 纪亚千", "■言成声".

A byline opens with ■ and may run over several lines, each further line
opening with a role word ("见习记者 张宇青", "通讯员 曹金凤", "漫画 李泽峰").
Spaces inside a name are typesetting: "王 强" is 王强.
"""

import re

from .records import BylineRecord, CreditRecord

MARK = "■"


def _spaced(word):
    """A role word as a pattern that tolerates typesetting spaces: 记 者."""
    return r"[ \u3000]*".join(map(re.escape, word))


# Longest first, so 见习记者 wins over 记者 and 摄影记者 over 摄影.
ROLE_WORDS = [
    ("本报特约评论员", "commentator"),
    ("本报评论员", "commentator"),
    ("特约评论员", "commentator"),
    ("评论员", "commentator"),
    ("首席记者", "reporter"),
    ("本报记者", "reporter"),
    ("见习记者", "trainee_reporter"),
    ("实习记者", "trainee_reporter"),
    ("摄影记者", "photographer"),
    ("通讯员", "correspondent"),
    ("记者", "reporter"),
    ("摄影", "photographer"),
    ("漫画", "cartoonist"),
]
# Institutional bylines: the role itself is the signature.
INSTITUTIONS = {"本报评论员", "本报特约评论员", "特约评论员", "评论员"}

ROLE_PATTERN = re.compile(
    "(" + "|".join(_spaced(word) for word, _ in ROLE_WORDS) + r")(?=[ \u3000]|$|[\u4e00-\u9fff])"
)
_ROLE_BY_WORD = dict(ROLE_WORDS)
# A continuation line of a byline starts with a role word and holds names only.
CONTINUATION = re.compile(
    r"^[ \u3000]*(" + "|".join(_spaced(w) for w, _ in ROLE_WORDS if len(w) >= 2) + r")[ \u3000]+\S"
)
NAME_TOKEN = re.compile(r"^[\u3400-\u9fff·]{1,8}$")


def is_byline_start(line):
    return line.lstrip().startswith(MARK)


def is_byline_continuation(line):
    """"见习记者 张宇青" under "■记 者 胡佳英": same byline, next line."""
    stripped = line.strip()
    if not CONTINUATION.match(stripped) or len(stripped) > 40:
        return False
    return not re.search(r"[，。、：；！？,.:;!?“”]", stripped)


def parse_byline(text, lines=()):
    """Credits from a byline's text, in printed order.

    A byline with no role word ("■言成声") credits its single name as author;
    "■本报评论员" credits the institution itself as commentator.
    """
    body = text.replace(MARK, " ").strip()
    body = re.sub(r"\s+", " ", body)
    credits = []
    compact = body.replace(" ", "")
    if compact in INSTITUTIONS:
        return BylineRecord(text=text.strip(), credits=[CreditRecord(compact, "commentator")], lines=list(lines))

    pieces = ROLE_PATTERN.split(body)
    # pieces: [before, role, names, role, names, ...]
    leading = pieces[0].strip()
    if leading:
        for name in _names(leading):
            credits.append(CreditRecord(name, "author"))
    for i in range(1, len(pieces), 2):
        role = _ROLE_BY_WORD[pieces[i].replace(" ", "").replace("\u3000", "")]
        for name in _names(pieces[i + 1]):
            credits.append(CreditRecord(name, role))
    return BylineRecord(text=text.strip(), credits=_dedupe(credits), lines=list(lines))


def _names(segment):
    """Split a run of names: a one-character token is a surname set apart ("王 强")."""
    tokens = [t for t in re.split(r"[ \u3000、，,/]+", segment.strip()) if t]
    names = []
    pending = ""
    for token in tokens:
        if not NAME_TOKEN.match(token):
            continue
        pending += token
        if len(pending) >= 2:
            names.append(pending)
            pending = ""
    if pending:
        names.append(pending)
    return names


def _dedupe(credits):
    seen = set()
    out = []
    for credit in credits:
        key = (credit.name, credit.role)
        if key not in seen:
            seen.add(key)
            out.append(credit)
    return out


def is_photo_credit(byline):
    """A byline that credits only photographers marks a picture."""
    return bool(byline.credits) and all(c.role == "photographer" for c in byline.credits)
