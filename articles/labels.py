"""The words a reader sees beside the archive's facts: the paper's name, where a page's date came from, credits by role.

Reader pages, feeds, citations and the data downloads all say these the same way.
"""

from .models import DateSource, Role

PAPER = "嘉兴日报"

# How a reader is told where a date came from; a printed masthead needs no word.
DATE_NOTES = {
    DateSource.MASTHEAD: "",
    # A manifest's date is whatever its author worked out (the samples' own
    # manifest infers four of its five dates from content): not printed either.
    DateSource.MANIFEST: "日期未见于报头，据导入清单",
    DateSource.OPTION: "日期未见于报头，据导入时指定",
    DateSource.ESTIMATED: "日期据内容推定",
    DateSource.UNKNOWN: "日期来源不明",
}


def date_note(source):
    return DATE_NOTES.get(source, DATE_NOTES[DateSource.UNKNOWN])


def page_date_note(page):
    """The note on a page's date, with the archivist's manifest note when the masthead did not print it."""
    note = date_note(page.date_source) if page.issue_id else ""
    if note and page.import_note:
        note += f"（清单备注：{page.import_note}）"
    return note


def credits_by_role(credits):
    """[(role label, [person, ...]), ...] in the order the byline printed them."""
    groups = {}
    for credit in credits:
        groups.setdefault(credit.role, []).append(credit.person)
    labels = dict(Role.choices)
    return [(labels.get(role, role), people) for role, people in groups.items()]
