"""Rebuilding an article's block structure after staff edit its body.

Pages render Article.blocks, so a body edit must reach them. Paragraphs are
separated by a blank line; a paragraph keeps the kind (subhead, caption) it
had before when its text is unchanged, so editing one sentence does not turn
every subhead into a plain paragraph.
"""

import re

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def blocks_from_body(body, old_blocks=()):
    kinds = {}
    for block in old_blocks or ():
        text = (block.get("text") or "").strip()
        if text and block.get("kind", "p") != "p":
            kinds.setdefault(text, block["kind"])
    blocks = []
    for part in PARAGRAPH_BREAK.split((body or "").replace("\r\n", "\n")):
        text = part.strip()
        if text:
            blocks.append({"text": text, "kind": kinds.get(text, "p")})
    return blocks
