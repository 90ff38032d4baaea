"""Old→new text as a readable diff: changed passages with a little context.

Chinese has no spaces to split words on, so texts are compared character by
character; long unchanged stretches are folded to a count, and very long
changed ones (a split's whole moved tail) are cut in the middle, so a record
stays a few lines tall whatever the size of the bodies it holds.
"""

from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join

CONTEXT = 24  # unchanged characters kept on each side of a change
# An unchanged run this short between two changes reads better as part of
# them than as a scatter of one-character islands.
ISLAND = 2


def segments(old, new, context=CONTEXT, cap=None):
    """[(kind, text)] with kind in same, fold, del, ins.

    fold's text is the number of unchanged characters left out; cap (if
    given) cuts a changed run longer than that in the middle, its text then
    a (head, left_out, tail) tuple.
    """
    old, new = old or "", new or ""
    ops = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(["same", old[i1:i2], old[i1:i2]])
        else:
            ops.append(["change", old[i1:i2], new[j1:j2]])
    ops = _absorb_islands(ops)
    out = []
    for index, (kind, before, after) in enumerate(ops):
        if kind == "same":
            out.extend(_context(before, context, first=index == 0, last=index == len(ops) - 1))
            continue
        if before:
            out.append(("del", _cut(before, cap)))
        if after:
            out.append(("ins", _cut(after, cap)))
    return out


def _absorb_islands(ops):
    merged = []
    for index, op in enumerate(ops):
        island = op[0] == "same" and len(op[1]) <= ISLAND and 0 < index < len(ops) - 1
        if merged and merged[-1][0] == "change" and (island or op[0] == "change"):
            merged[-1][1] += op[1]
            merged[-1][2] += op[2]
        else:
            merged.append(op)
    return merged


def _context(text, context, first, last):
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(text) <= keep_head + keep_tail + 8:
        return [("same", text)]
    parts = []
    if keep_head:
        parts.append(("same", text[:keep_head]))
    parts.append(("fold", len(text) - keep_head - keep_tail))
    if keep_tail:
        parts.append(("same", text[-keep_tail:]))
    return parts


def _cut(text, cap):
    if cap is None or len(text) <= cap:
        return text
    half = cap // 2
    return (text[:half], len(text) - 2 * half, text[-half:])


def _piece(kind, text):
    if kind == "fold":
        return format_html("<span class='fold'>…（{} 字未改动）…</span>", text)
    if isinstance(text, tuple):
        head, left_out, tail = text
        return format_html("<{0}>{1}</{0}><span class='fold'>…（另有 {2} 字）…</span><{0}>{3}</{0}>",
                           kind, head, left_out, tail)
    if kind == "same":
        return format_html("{}", text)
    return format_html("<{0}>{1}</{0}>", kind, text)


def render(old, new, cap=None, context=CONTEXT):
    """The diff as HTML (a <div class='phnews-diff'>); empty sides say so."""
    if not old:
        body = format_html("<span class='empty'>（原为空）</span> {}", _piece("ins", _cut(new, cap)))
    elif not new:
        body = format_html("{} <span class='empty'>（改为空）</span>", _piece("del", _cut(old, cap)))
    else:
        body = format_html_join("", "{}", ((_piece(kind, text),) for kind, text in segments(old, new, context, cap)))
    return format_html("<div class='phnews-diff'>{}</div>", body)


def render_changes(changes, cap=None, context=CONTEXT):
    """A ChangeRecord's changes as a list: each field's label, then its diff."""
    return format_html(
        "<ul class='phnews-changes'>{}</ul>",
        format_html_join("", "<li><span class='field'>{}</span>{}</li>",
                         ((c.get("label") or c.get("field"), render(c.get("old") or "", c.get("new") or "", cap, context))
                          for c in changes)),
    )
