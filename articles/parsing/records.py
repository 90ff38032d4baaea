"""Plain records the parser returns: no Django, only dataclasses.

The import command maps these onto the models; tests compare them directly.
"""

from dataclasses import dataclass, field
import datetime

from .guesses import MUST, review_level


@dataclass
class CreditRecord:
    name: str  # spaces of typesetting already removed
    role: str  # one of articles.models.Role values: reporter, correspondent, ...
    affiliation: str = ""  # printed before the name: a student's school and class


@dataclass
class BylineRecord:
    text: str  # as printed, bold doubling repaired, line breaks joined by a space
    credits: list[CreditRecord]
    lines: list[int] = field(default_factory=list)  # 0-based source line numbers
    unknown: list[str] = field(default_factory=list)  # words neither a known role nor a name, kept as text
    reasons: list[str] = field(default_factory=list)  # what a person should check


@dataclass
class Block:
    """One paragraph of an article body."""

    text: str
    kind: str = "p"  # "p" paragraph, "subhead" inline subhead, "caption" picture caption


@dataclass
class ArticleRecord:
    position: int
    kind: str = "news"
    column: str = ""
    kicker: str = ""
    title: str = ""
    subtitle: str = ""
    lead: str = ""
    dateline: str = ""
    blocks: list[Block] = field(default_factory=list)
    credits: list[CreditRecord] = field(default_factory=list)
    byline: str = ""  # the bylines as printed, one a line: what credits could not hold stays here
    continued_to: str = ""
    continued_from: str = ""
    parent_position: int | None = None  # a sidebar points at the article it belongs to
    review_reasons: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # source lines this article consumed
    # Where it stands in the page: [first, last] source lines (0-based,
    # inclusive), several when another article's lines interrupt it; blank
    # lines between its own lines do not.
    spans: list[list[int]] = field(default_factory=list)

    @property
    def body(self):
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def review_level(self):
        return review_level(self.review_reasons)

    @property
    def needs_review(self):
        return self.review_level == MUST


@dataclass
class MastheadRecord:
    date: datetime.date | None = None
    weekday: str = ""
    lunar_date: str = ""
    issue_number: int | None = None
    section_letter: str = ""
    edition: str = ""
    editor: str = ""
    designer: str = ""
    proofreader: str = ""
    fields: dict = field(default_factory=dict)  # every other masthead item, by name
    lines: list[int] = field(default_factory=list)


@dataclass
class PageRecord:
    masthead: MastheadRecord | None = None
    label: str = ""  # page label as printed or derived: "C1", "11"
    section: str = ""  # page header section name
    edition: str = ""
    articles: list[ArticleRecord] = field(default_factory=list)
    orphan_bylines: list[BylineRecord] = field(default_factory=list)
    leftover: list[tuple[int, str]] = field(default_factory=list)  # (source line, text) of no article
    review_reasons: list[str] = field(default_factory=list)
    estimated_date: datetime.date | None = None
    estimate_basis: str = ""

    @property
    def leftover_text(self):
        return "\n".join(text for _, text in self.leftover)
