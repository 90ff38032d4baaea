"""Bylines: who wrote, reported, photographed or drew an article.

A byline opens with "■" (or a white "□"), then role words and names:
"■记者 林旭东 通讯员 王晨慧", "■记 者 胡佳英" with a continuation line
("见习记者 张宇青", "摄影 B"), "■撰文 A B", "■文/摄 A", "■摄影 记者 A".
Spaces inside a name are typesetting: "王 强" is 王强.

Only words of the known-role table below give a role. Anything else in a
role position ("■口述 A", a word that is no name) is kept as text on the
article and flagged, never made a person: a person is only made of a token
shaped like a Chinese name (a known surname, two to four characters).
"""

import re
from functools import lru_cache
from pathlib import Path

from .guesses import CREDIT, guess
from .records import BylineRecord, CreditRecord

MARKS = "■□"
MARK = "■"


def _spaced(word):
    """A role word as a pattern that tolerates typesetting spaces: 记 者."""
    return r"[ \u3000]*".join(re.escape(ch) if ch != "/" else r"[/／·]" for ch in word)


# The known-role table: printed word -> the roles its names get. Longest
# first, so 见习记者 wins over 记者 and 摄影记者 over 摄影.
ROLE_WORDS = [
    ("本报特约评论员", ("commentator",)),
    ("本报评论员", ("commentator",)),
    ("特约评论员", ("commentator",)),
    ("评论员", ("commentator",)),
    ("首席记者", ("reporter",)),
    ("本报记者", ("reporter",)),
    ("见习记者", ("trainee_reporter",)),
    ("实习记者", ("trainee_reporter",)),
    ("摄影记者", ("photographer",)),
    ("指导老师", ("advisor",)),
    ("指导教师", ("advisor",)),
    ("辅导老师", ("advisor",)),
    ("通讯员", ("correspondent",)),
    # Text and pictures by the same hand: both roles, one name.
    ("文/摄", ("author", "photographer")),
    ("文/图", ("author", "photographer")),
    ("图/文", ("author", "photographer")),
    ("记者", ("reporter",)),
    ("摄影", ("photographer",)),
    ("撰文", ("author",)),
    ("作者", ("author",)),
    ("漫画", ("cartoonist",)),
]
ROLES_BY_WORD = {word.replace("/", ""): roles for word, roles in ROLE_WORDS}
# Institutional bylines: the role itself is the signature.
INSTITUTIONS = {"本报评论员", "本报特约评论员", "特约评论员", "评论员"}

ROLE_PATTERN = re.compile(
    "(" + "|".join(_spaced(word) for word, _ in ROLE_WORDS) + r")(?=[ \u3000]|$|[\u4e00-\u9fff])"
)
# A continuation line of a byline starts with a role word and holds names only.
CONTINUATION = re.compile(
    r"^[ \u3000]*(" + "|".join(_spaced(w) for w, _ in ROLE_WORDS if len(w) >= 2) + r")[ \u3000]*\S"
)
# A credit printed after the body with no mark: "指导老师 A" under a student's essay.
TRAILING = re.compile(r"^(指导老师|指导教师|辅导老师)[：:]?[ \u3000]*(\S.*)$")
NAME_TOKEN = re.compile(r"^[\u3400-\u9fff·]{1,8}$")
# A student's school and class set before the name: "某某小学501班", "某某中学高一13班".
AFFILIATION = re.compile(r"(小学|中学|学校|幼儿园|大学|学院|职高|附小|附中|年级|班)$|^.{2,}(小学|中学|学校)")

_SURNAMES = Path(__file__).with_name("surnames.txt")


@lru_cache(maxsize=1)
def surnames():
    singles, compounds = set(), set()
    for line in _SURNAMES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for token in line.split():
            if len(token) == 2 and " " in line:
                compounds.add(token)
            else:
                singles.update(token)
    return frozenset(singles), frozenset(compounds)


def looks_like_name(token):
    """A Chinese personal name: a known surname, two to four characters."""
    singles, compounds = surnames()
    if not NAME_TOKEN.match(token) or "·" in token:
        return False
    if token[:2] in compounds:
        return 3 <= len(token) <= 5
    return token[0] in singles and 2 <= len(token) <= 4


def is_byline_start(line):
    return line.lstrip()[:1] in MARKS


def is_byline_continuation(line):
    """"见习记者 张宇青" under "■记 者 胡佳英": same byline, next line."""
    stripped = line.strip()
    if not CONTINUATION.match(stripped) or len(stripped) > 40:
        return False
    return not re.search(r"[，。、：；！？,.:;!?“”]", stripped)


def is_trailing_credit(line):
    """"指导老师 A": a credit set after the body it belongs to."""
    stripped = line.strip()
    m = TRAILING.match(stripped)
    return bool(m) and len(stripped) <= 30 and not re.search(r"[，。；！？,.;!?“”]", m[2])


def _role_key(word):
    return re.sub(r"[ \u3000/／·]", "", word)


def parse_byline(text, lines=()):
    """Credits from a byline's text, in printed order.

    A byline with no role word ("■言成声") credits its single name as author;
    "■本报评论员" credits the institution itself as commentator. Words that
    are neither a known role nor a name end up in `unknown`, with a reason.
    """
    body = text.strip()
    for mark in MARKS:
        body = body.replace(mark, " ")
    body = re.sub(r"\s+", " ", body).strip()
    record = BylineRecord(text=text.strip(), credits=[], lines=list(lines))
    compact = body.replace(" ", "")
    if compact in INSTITUTIONS:
        record.credits.append(CreditRecord(compact, "commentator"))
        return record

    pieces = ROLE_PATTERN.split(body)
    # pieces: [before, role, names, role, names, ...]
    segments = [(("author",), pieces[0], "")] if pieces[0].strip() else []
    pending_roles = None
    pending_word = ""
    for i in range(1, len(pieces), 2):
        word = _role_key(pieces[i])
        roles = ROLES_BY_WORD[word]
        if pending_roles is not None:
            # Two role words with no name between: "摄影 记者 A" is 摄影记者.
            combined = ROLES_BY_WORD.get(pending_word + word) or ROLES_BY_WORD.get(word + pending_word)
            roles = combined or roles
            word = pending_word + word
        if not pieces[i + 1].strip():
            pending_roles, pending_word = roles, word
            continue
        pending_roles, pending_word = None, ""
        segments.append((roles, pieces[i + 1], word))
    if pending_roles is not None:
        record.unknown.append(pending_word)
        record.reasons.append(guess(CREDIT, f"署名“{record.text}”中的身份“{pending_word}”后没有姓名"))

    for roles, segment, word in segments:
        affiliation = ""
        for token in _tokens(segment):
            if AFFILIATION.search(token) and not looks_like_name(token):
                affiliation = token
                continue
            if looks_like_name(token):
                for role in roles:
                    record.credits.append(CreditRecord(token, role, affiliation))
                continue
            record.unknown.append(token)
            if not word and NAME_TOKEN.match(token) and len(segments) == 1 and _is_sole_token(segment, token):
                # A lone signature that is no ordinary name: a pen name or a
                # collective ("■平湖时评"). Credited, but a person may check it.
                record.unknown.pop()
                for role in roles:
                    record.credits.append(CreditRecord(token, role))
                record.reasons.append(guess(CREDIT, f"署名“{token}”不像常见姓名，按笔名/作者记入，请核对"))
            else:
                record.reasons.append(guess(CREDIT, f"署名“{record.text}”中的“{token}”不是已知身份或姓名，原样保留，未记为人物"))
    record.credits = _dedupe(record.credits)
    if not record.credits and not record.reasons:
        record.reasons.append(guess(CREDIT, f"署名“{record.text}”中没有可识别的姓名"))
    return record


def _is_sole_token(segment, token):
    return segment.strip().replace(" ", "").replace("\u3000", "") == token


def _tokens(segment):
    """Name tokens of a run: a one-character token is a surname set apart ("王 强")."""
    tokens = []
    pending = ""
    for token in (t for t in re.split(r"[ \u3000、，,/]+", segment.strip()) if t):
        if pending:
            joined = pending + token
            if len(token) == 1 or (len(joined) <= 4 and looks_like_name(joined)):
                tokens.append(joined)
                pending = ""
                continue
            tokens.append(pending)
            pending = ""
        if len(token) == 1 and NAME_TOKEN.match(token):
            pending = token
        else:
            tokens.append(token)
    if pending:
        tokens.append(pending)
    return tokens


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
