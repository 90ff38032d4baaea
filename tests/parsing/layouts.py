"""Re-render the sample articles in every layout the paper uses, and score the parser.

`data/sample_articles.json` holds, per sample page, each article as an
archivist records it (kind, column, kicker, title, subtitle, credits with
roles, dateline, lead, body blocks, continuation, parent). It was derived from
the five sample pages in `data/samples/` and is pinned by
`test_parsing_samples.py`; it is the truth the layouts are scored against.

A layout is one choice on each axis the paper's pages vary on:

- reading order: headline → byline → body, or byline → body → headline;
- hard-wrapped at 14–20 characters a line (with column breaks inside
  paragraphs, as the extractor leaves them), or one paragraph a line;
- full-width or ASCII punctuation;
- with or without a printed masthead;
- with bylines removed from some articles;
- in the printed or a shuffled article order;
- headline parts (column, kicker, title, deck) set apart by blank lines, or
  stacked line under line.

`python -m tests.parsing.layouts` prints the accuracy figures over the whole
product of the axes (see `docs/parsing.md`).
"""

import itertools
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from articles.parsing import parse_page
from articles.parsing.guesses import MAY, MUST, classify

DATA = Path(__file__).with_name("data") / "sample_articles.json"
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
ORDERS = ("headline-first", "byline-first")
WRAPS = ("wrapped", "paragraph-lines")
PUNCTUATION = ("full-width", "ascii")
MASTHEADS = ("masthead", "none")
BYLINES = ("all", "some-removed")
SHUFFLES = ("printed", "shuffled")
HEADS = ("apart", "stacked")
AXES = (ORDERS, WRAPS, PUNCTUATION, MASTHEADS, BYLINES, SHUFFLES, HEADS)

ROLE_WORDS = {
    "reporter": "记者", "trainee_reporter": "见习记者", "correspondent": "通讯员", "photographer": "摄影",
    "cartoonist": "漫画", "advisor": "指导老师",
}
TO_ASCII = str.maketrans({"，": ",", "：": ":", "；": ";", "？": "?", "！": "!", "（": "(", "）": ")"})
TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})
# A masthead in the shape of the front pages' (made-up values).
MASTHEAD = ["2024年5月8日◆星期三", "农历甲辰年四月初一", "总第5400期", "叠C", "平湖版", "编辑/张 某 版式/李某某 校对/王 某"]
APP_LINES = ["平湖发布", "今平湖客户端"]
NO_LINE_START = set("，。、；：？！”’）》…,.;:?!)")


def load_truth():
    return json.loads(DATA.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Layout:
    page: str
    order: str
    wrap: str
    punctuation: str
    masthead: str
    bylines: str
    shuffle: str
    heads: str = "apart"
    seed: int = 0

    @property
    def name(self):
        # Apart is how the layouts were first drawn: those names (the seeds of
        # their widths and shuffles) stay as they were.
        stacked = "/stacked" if self.heads == "stacked" else ""
        return (f"{self.page}/{self.order}/{self.wrap}/{self.punctuation}/{self.masthead}/{self.bylines}/"
                f"{self.shuffle}{stacked}#{self.seed}")


def all_layouts(pages, seeds=(0,)):
    """The full product of the axes for every page (and seed)."""
    return [Layout(page, *combo, seed=seed)
            for page in pages for combo in itertools.product(*AXES) for seed in seeds]


# -- rendering ---------------------------------------------------------------

def punct(text, layout):
    return text.translate(TO_ASCII if layout.punctuation == "ascii" else TO_FULL)


def removed_bylines(articles, layout):
    """Articles printed without their byline: about a third, chosen by the seed.

    Sidebars keep theirs (their label and byline are what set them apart) and
    photo news keeps its photo credit.
    """
    if layout.bylines == "all":
        return set()
    rng = random.Random(f"{layout.page}-{layout.seed}-bylines")
    candidates = [i for i, a in enumerate(articles) if a["parent"] is None and _writers(a)]
    chosen = {i for i in candidates if rng.random() < 1 / 3}
    if candidates and not chosen:
        chosen.add(rng.choice(candidates))
    return chosen


def _writers(article):
    if article["kind"] == "photo":
        return [c for c in article["credits"] if c[1] != "photographer"]
    return article["credits"]


def expected_credits(article, dropped):
    if not dropped:
        return [tuple(c) for c in article["credits"]]
    if article["kind"] == "photo":
        return [tuple(c) for c in article["credits"] if c[1] == "photographer"]
    return []


def _name(name, layout, rng):
    # Typesetting puts a space inside two-character names in narrow columns.
    if layout.wrap == "wrapped" and len(name) == 2 and rng.random() < 0.5:
        return f"{name[0]} {name[1]}"
    return name


def byline_lines(credits, layout, rng):
    """"■记者 A B 通讯员 C": one line, or one line per role group in narrow columns."""
    if not credits:
        return []
    if len(credits) == 1 and credits[0][1] == "commentator":
        return [f"■{credits[0][0]}"]
    groups = []
    for name, role in credits:
        if groups and groups[-1][0] == role:
            groups[-1][1].append(name)
        else:
            groups.append((role, [name]))
    parts = []
    for role, names in groups:
        word = ROLE_WORDS.get(role, "")
        spelled = " ".join(_name(n, layout, rng) for n in names)
        parts.append(f"{word} {spelled}" if word else spelled)
    if layout.wrap == "wrapped" and len(parts) > 1 and rng.random() < 0.5:
        return ["■" + parts[0]] + parts[1:]
    return ["■" + " ".join(parts)]


def wrap(text, layout, rng, width):
    """A paragraph as printed: hard-wrapped lines (the first indented), or one line."""
    if layout.wrap == "paragraph-lines":
        return [text]
    lines = []
    first = width - 2
    while text:
        take = first if not lines else width
        # Typesetting keeps closing punctuation off the start of a line.
        while take < len(text) and text[take] in NO_LINE_START:
            take += 1
        lines.append(text[:take])
        text = text[take:]
    if len(lines) >= 3 and rng.random() < 0.3:
        # A column ends inside the paragraph: the extractor leaves a blank line.
        lines.insert(rng.randrange(1, len(lines)), "")
    return lines


def render_article(article, layout, rng, dropped):
    """Source lines of one article: chunks separated by blank lines."""
    width = rng.randint(14, 20)
    photo = article["kind"] == "photo"
    credits = [tuple(c) for c in article["credits"]]
    if dropped:
        credits = [c for c in credits if c[1] == "photographer"] if photo else []
    writers = [c for c in credits if not (photo and c[1] == "photographer")]
    photographers = [c for c in credits if photo and c[1] == "photographer"]

    head = []
    if article["column"]:
        head.append([article["column"]])
    for part in ("kicker", "title", "subtitle"):
        if article[part]:
            head.append([punct(article[part], layout)])
    if layout.heads == "stacked" and len(head) > 1:
        # Parts printed line under line, no blank between (a sidebar's
        # label still stands apart: it opens the sidebar in either order).
        label = [head.pop(0)] if article["parent"] is not None and article["column"] else []
        head = label + [[line for part in head for line in part]]
    byline = byline_lines(writers, layout, rng)

    body = []
    if article["lead"]:
        for paragraph in article["lead"].split("\n\n"):
            body.append(wrap(punct(paragraph, layout), layout, rng, width))
    first = True
    for kind, text in article["blocks"]:
        text = punct(text, layout)
        if kind == "p":
            if first and article["dateline"]:
                text = f"{article['dateline']} {text}"
            body.append(wrap(text, layout, rng, width))
            first = False
        else:
            body.append([text])
    if not article["blocks"] and article["dateline"]:
        body.append([article["dateline"]])
    if photographers:
        body.append(byline_lines(photographers, layout, rng))
    if article["continued_to"]:
        body.append([punct(f"（下转{article['continued_to']}版）", layout)])

    chunks = []
    if layout.order == "headline-first":
        chunks += head
        if byline:
            chunks.append(byline)
        chunks += body
    else:
        if article["parent"] is not None and article["column"]:
            # A sidebar's label stands above its byline; its title closes it.
            chunks.append(head.pop(0))
        if byline:
            chunks.append(byline)
        chunks += body
        chunks += head
    return chunks


def render(articles, layout):
    """The page text for a layout, and the articles in the order printed."""
    rng = random.Random(layout.name)
    dropped = removed_bylines(articles, layout)
    units = []  # an article with its sidebars moves as one
    for index, article in enumerate(articles):
        if article["parent"] is not None and units:
            units[-1].append(index)
        else:
            units.append([index])
    if layout.shuffle == "shuffled":
        rng.shuffle(units)
    order = [index for unit in units for index in unit]
    chunks = []
    if layout.masthead == "masthead":
        chunks += [[line] for line in MASTHEAD]
    app_at = rng.randrange(len(order) + 1)
    for n, index in enumerate(order):
        if n == app_at:
            chunks.append(APP_LINES)
        chunks += render_article(articles[index], layout, rng, index in dropped)
    text = "\n\n".join("\n".join(chunk) for chunk in chunks) + "\n"
    expected = []
    for index in order:
        article = dict(articles[index])
        article["credits"] = expected_credits(article, index in dropped)
        article["parent"] = None if article["parent"] is None else order.index(article["parent"] - 1) + 1
        expected.append(article)
    return text, expected


# -- scoring -----------------------------------------------------------------

def norm(text):
    return re.sub(r"\s", "", (text or "").translate(TO_FULL))


def body_text(article):
    """Everything an article says, as one string: lead, dateline, body."""
    if isinstance(article, dict):
        blocks = [text for _, text in article["blocks"]]
        return norm(article["lead"] + article["dateline"] + "".join(blocks))
    return norm(article.lead + article.dateline + "".join(b.text for b in article.blocks))


def headline_of(article):
    if isinstance(article, dict):
        return tuple(norm(article[k]) for k in ("column", "kicker", "title", "subtitle"))
    return tuple(norm(getattr(article, k)) for k in ("column", "kicker", "title", "subtitle"))


def credits_of(article):
    if isinstance(article, dict):
        return [tuple(c) for c in article["credits"]]
    return [(c.name, c.role) for c in article.credits]


def flagged(article):
    """Is the article 须复核 (a reason that could mean misplaced or lost text or credit)?"""
    return article.review_level == MUST


def may_review(article):
    return article.review_level == MAY


@dataclass
class Score:
    layouts: int = 0
    articles: int = 0
    exact: int = 0
    headlines: int = 0
    credits: int = 0
    boundaries: int = 0
    errors: int = 0
    errors_flagged: int = 0  # every piece holding its text is 须复核
    spurious: int = 0  # parsed articles that match no printed one
    flagged_correct: int = 0  # right, but 须复核 anyway (review work)
    may_correct: int = 0  # right, and only 可复核 (a heading's layering, a repair)

    def add(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def unflagged(self):
        """Wrong and not 须复核: the number that must stay 0."""
        return self.errors - self.errors_flagged

    def report(self):
        pct = lambda n: f"{n}/{self.articles} ({100 * n / max(self.articles, 1):.1f}%)"
        return "\n".join([
            f"layouts: {self.layouts}   printed articles: {self.articles}",
            f"articles exact:        {pct(self.exact)}",
            f"boundaries exact:      {pct(self.boundaries)}",
            f"headline parts exact:  {pct(self.headlines)}",
            f"credits exact:         {pct(self.credits)}",
            f"errors: {self.errors} (of which spurious articles: {self.spurious})",
            f"errors 须复核: {self.errors_flagged}   errors not 须复核: {self.unflagged}",
            f"right but 须复核:      {pct(self.flagged_correct)}",
            f"right but 可复核:      {pct(self.may_correct)}",
        ])


def score(layout, truth, failures=None, alter=None):
    """Parse one rendered layout and compare article by article.

    alter: a change made to the page text before parsing (to test the scoring).
    """
    text, expected = render(truth[layout.page], layout)
    return score_text(layout.name, alter(text) if alter else text, expected, failures)


def score_text(name, text, expected, failures=None, must_reasons=None):
    """Parse one page's text and compare it article by article with what was printed.

    must_reasons: a Counter, to tally the rules that make correct articles 须复核.
    """
    page = parse_page(text)
    result = Score(layouts=1, articles=len(expected))
    by_text = {}
    for article in page.articles:
        by_text.setdefault(body_text(article), []).append(article)
    used = set()
    for want in expected:
        candidates = [a for a in by_text.get(body_text(want), []) if id(a) not in used]
        got = candidates[0] if candidates else None
        if got is not None:
            used.add(id(got))
        boundary = got is not None and got.continued_to == want["continued_to"] and (
            (got.parent_position is None) == (want["parent"] is None))
        headline = got is not None and headline_of(got) == headline_of(want)
        credits = got is not None and credits_of(got) == credits_of(want)
        result.boundaries += boundary
        result.headlines += headline
        result.credits += credits
        if boundary and headline and credits:
            result.exact += 1
            result.flagged_correct += flagged(got)
            result.may_correct += may_review(got)
            if must_reasons is not None and flagged(got):
                must_reasons.update({classify(r)[0] for r in got.review_reasons if classify(r)[1] == MUST})
            continue
        result.errors += 1
        # A printed article that came out merged or split: the parsed pieces
        # holding its text must be flagged.
        holders = [got] if got is not None else _holders(page, want)
        is_flagged = bool(holders) and all(flagged(a) for a in holders)
        result.errors_flagged += is_flagged
        if failures is not None:
            failures.append((name, want["title"], boundary, headline, credits, is_flagged,
                             [(a.title, a.review_reasons) for a in holders]))
    for article in page.articles:
        if id(article) not in used and not any(body_text(article) and body_text(article) in body_text(w) or
                                               body_text(w) in body_text(article) for w in expected):
            result.spurious += 1
            result.errors += 1
            result.errors_flagged += flagged(article)
            if failures is not None:
                failures.append((name, article.title, False, False, False, flagged(article), []))
    return result


def _holders(page, want):
    """Parsed articles sharing text with a printed article (merged or split)."""
    target = body_text(want)
    probe = [norm(text)[:12] for _, text in want["blocks"] if len(norm(text)) >= 12]
    out = []
    for article in page.articles:
        own = body_text(article)
        starts = [norm(block.text)[:12] for block in article.blocks]
        if own and (own in target or any(p in starts for p in probe)):
            out.append(article)
    return out


def measure(layouts, truth=None, failures=None, must_reasons=None):
    truth = truth or load_truth()
    total = Score()
    for layout in layouts:
        text, expected = render(truth[layout.page], layout)
        total.add(score_text(layout.name, text, expected, failures, must_reasons))
    return total


def measure_samples(truth=None, failures=None, must_reasons=None):
    """The five sample pages as printed, against the archivist's record."""
    truth = truth or load_truth()
    total = Score()
    for page in sorted(truth):
        (path,) = SAMPLES.glob(f"{page}_*.txt")
        total.add(score_text(page, path.read_text(encoding="utf-8"), truth[page], failures, must_reasons))
    return total


def main():
    import argparse
    from collections import Counter

    parser = argparse.ArgumentParser(description="Parser accuracy on the sample articles re-rendered in every layout.")
    parser.add_argument("--seeds", type=int, default=1, help="seeds per combination (bylines removed, shuffles, widths)")
    parser.add_argument("--failures", action="store_true", help="list every wrong article")
    parser.add_argument("--reasons", action="store_true", help="tally the rules that make correct articles 须复核")
    args = parser.parse_args()
    truth = load_truth()
    for title, run in (("the five sample pages", lambda f, m: measure_samples(truth, f, m)),
                       ("generated layouts", lambda f, m: measure(all_layouts(sorted(truth), range(args.seeds)), truth, f, m))):
        failures, must_reasons = [], Counter()
        total = run(failures, must_reasons)
        print(f"== {title}")
        print(total.report())
        if args.reasons:
            for key, n in must_reasons.most_common():
                print(f"  须复核 though right: {key} {n}")
        if args.failures:
            for failure in failures:
                print(failure)


if __name__ == "__main__":
    main()
