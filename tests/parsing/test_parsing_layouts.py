"""The parser's accuracy test: every sample article re-rendered in every layout
the paper uses (see layouts.py), each article's boundaries, headline parts and
credits checked against what an archivist records. An article the parser gets
wrong must be 须复核 (a review reason that can mean misplaced or lost text):
zero silent errors.

`python -m tests.parsing.layouts` prints the same figures for any number of seeds.
"""

import itertools
import random

import pytest

from layouts import APP_LINES, AXES, ORDERS, Layout, all_layouts, load_truth, measure, render, score

TRUTH = load_truth()
PAGES = sorted(TRUTH)


def test_the_product_covers_every_axis_value():
    layouts = all_layouts(PAGES)
    assert len(layouts) == len(PAGES) * 2 ** len(AXES) == 640
    for n, axis in enumerate(AXES):
        seen = {getattr(layout, field) for layout in layouts
                for field in [("order", "wrap", "punctuation", "masthead", "bylines", "shuffle", "heads")[n]]}
        assert seen == set(axis)


@pytest.mark.parametrize("order", ORDERS)
def test_stacked_heads_stand_line_under_line(order):
    """Kicker, title and deck on consecutive lines, no blank between; in both reading orders."""
    articles = TRUTH["003"]
    text, _ = render(articles, Layout("003", order, "wrapped", "full-width", "none", "all", "printed", "stacked"))
    lines = text.split("\n")
    at = lines.index("一把手访谈")
    assert lines[at + 1] == "勇挑大梁担使命 提质进位走前列" and lines[at + 2].startswith("——访市委常委")
    title = lines.index("实干担当立潮头")
    assert lines[title + 1].startswith("——三论")
    apart = render(articles, Layout("003", order, "wrapped", "full-width", "none", "all", "printed"))[0].split("\n")
    assert apart[apart.index("一把手访谈") + 1] == ""
    if order == "byline-first":
        # The headline closes its article: the body's last line, a blank, then the block.
        assert lines[at - 1] == "" and lines[at - 2].strip()


def test_rendering_follows_the_axes():
    """The generator really varies what it claims to (else the test proves little)."""
    articles = TRUTH["002"]
    base = Layout("002", "headline-first", "wrapped", "full-width", "masthead", "some-removed", "shuffled")
    text, expected = render(articles, base)
    lines = [line for line in text.split("\n") if line.strip()]
    assert lines[0] == "2024年5月8日◆星期三"
    wrapped = [line for chunk in text.split("\n\n") if chunk.count("\n") >= 2 for line in chunk.split("\n")]
    # Closing punctuation kept off a line's start may run a line past the column.
    assert len(wrapped) > 100 and max(len(line.rstrip("，。、；：？！”’）》…")) for line in wrapped) <= 20
    assert "，" in text and "," not in text
    assert [a["title"] for a in expected] != [a["title"] for a in articles]  # shuffled
    assert sum(1 for a in expected if not a["credits"]) >= 1  # bylines removed
    ascii_text, _ = render(articles, Layout("002", "byline-first", "paragraph-lines", "ascii", "none", "all", "printed"))
    assert "，" not in ascii_text and "," in ascii_text and "2024年5月8日" not in ascii_text
    content = [line for line in ascii_text.split("\n") if line.strip() and line not in APP_LINES]
    assert content[0].startswith("■")  # byline first


@pytest.mark.parametrize("page, order", list(itertools.product(PAGES, ORDERS)))
def test_every_article_exact_in_every_layout(page, order):
    """Headline parts apart or stacked line under line, and every other axis."""
    failures = []
    layouts = [layout for layout in all_layouts([page]) if layout.order == order]
    total = measure(layouts, TRUTH, failures)
    assert total.layouts == 64
    assert total.unflagged == 0, failures
    assert total.exact == total.articles, [f for f in failures]


def test_no_silent_errors_on_more_seeds():
    """Other byline removals, widths and shuffles: wrong only where 须复核."""
    rng = random.Random(10)
    layouts = rng.sample(all_layouts(PAGES, seeds=range(1, 10)), 200)
    failures = []
    total = measure(layouts, TRUTH, failures)
    print("\n" + total.report())
    assert total.unflagged == 0, [f for f in failures if not f[5]]
    assert total.spurious == 0


def test_a_wrong_parse_is_caught_and_counted():
    """The scoring itself: a title the parse gets wrong is an error, and unflagged."""
    layout = Layout("000", "headline-first", "paragraph-lines", "full-width", "none", "all", "printed")
    failures = []
    result = score(layout, TRUTH, failures, alter=lambda text: text.replace("我市一建设项目获省优", "我市一项目获奖"))
    assert (result.articles, result.errors, result.exact, result.unflagged) == (8, 1, 7, 1)
    assert failures[0][1] == "我市一建设项目获省优"
