"""Pairing a page's stored articles with a new parse of the same page.

Staff edits live on the stored rows, so a re-import must find, for each new
article, the stored one it replaces. Order of evidence: same position and
title, then same title, then most shared body text, then same position.
"""

from dataclasses import dataclass

BODY_OVERLAP_THRESHOLD = 0.5
LOOSE_OVERLAP_THRESHOLD = 0.2


@dataclass(frozen=True)
class Candidate:
    key: object  # the stored article's id, or an index in tests
    position: int
    title: str
    body: str
    edited: frozenset = frozenset()  # field names staff changed on the stored row


def match_articles(old: list[Candidate], new: list[Candidate], by_position: bool = True) -> dict[object, object]:
    """Return {new key: old key} for every pair found; each used at most once.

    by_position=False leaves out the last, position-only step: on a page whose
    segmentation staff pinned, positions no longer line up with the parse.
    """
    pairs: dict[object, object] = {}
    free_old = {candidate.key: candidate for candidate in old}

    def take(new_candidate, old_key):
        pairs[new_candidate.key] = old_key
        del free_old[old_key]

    def unmatched():
        return [candidate for candidate in new if candidate.key not in pairs]

    for candidate in unmatched():
        for old_candidate in list(free_old.values()):
            if old_candidate.position == candidate.position and _same(old_candidate.title, candidate.title):
                take(candidate, old_candidate.key)
                break

    for candidate in unmatched():
        same_title = [o for o in free_old.values() if _same(o.title, candidate.title)]
        others_new = [n for n in unmatched() if n is not candidate and _same(n.title, candidate.title)]
        # Two articles both titled "图片新闻" say nothing about which is which.
        if len(same_title) == 1 and not others_new:
            take(candidate, same_title[0].key)

    scored = []
    for candidate in unmatched():
        for old_candidate in free_old.values():
            score = body_overlap(old_candidate.body, candidate.body)
            if score >= BODY_OVERLAP_THRESHOLD:
                scored.append((score, -abs(old_candidate.position - candidate.position), candidate, old_candidate))
    for score, _, candidate, old_candidate in sorted(scored, key=lambda item: (-item[0], -item[1])):
        if candidate.key not in pairs and old_candidate.key in free_old:
            take(candidate, old_candidate.key)

    # Last, the same place on the page, unless that would hand staff edits
    # to an article that shares neither the edited title nor any body text.
    for candidate in (unmatched() if by_position else ()):
        for old_candidate in list(free_old.values()):
            if old_candidate.position == candidate.position and _plausibly_same(old_candidate, candidate):
                take(candidate, old_candidate.key)
                break
    return pairs


def _plausibly_same(old, new):
    if not old.edited or {"title", "body"} <= old.edited:
        return True  # nothing staff wrote is left to compare
    return _same(old.title, new.title) or body_overlap(old.body, new.body) >= LOOSE_OVERLAP_THRESHOLD


def _same(a, b):
    return "".join(a.split()) == "".join(b.split())


def body_overlap(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: robust to re-wrapping and small edits."""
    grams_a, grams_b = _bigrams(a), _bigrams(b)
    if not grams_a or not grams_b:
        return 0.0
    return len(grams_a & grams_b) / len(grams_a | grams_b)


def _bigrams(text):
    compact = "".join(text.split())
    return {compact[i:i + 2] for i in range(len(compact) - 1)}
