"""The parser on pages it has never seen: real lines of the samples cut,
shuffled and recombined. Whatever the input, it returns records, loses no
line, and never puts an empty title on an article."""

import random
from pathlib import Path

import pytest

from articles.parsing import parse_page

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "samples").glob("*.txt"))
LINES = [line for path in SAMPLES for line in path.read_text(encoding="utf-8").split("\n")]


def variants(seed):
    rng = random.Random(seed)
    yield "\n".join(rng.sample(LINES, k=min(len(LINES), rng.randint(1, 200))))  # shuffled lines
    start = rng.randrange(len(LINES))
    yield "\n".join(LINES[start : start + rng.randint(1, 120)])  # a page cut anywhere
    blocks = [path.read_text(encoding="utf-8").split("\n\n") for path in rng.sample(SAMPLES, 2)]
    yield "\n\n".join(rng.sample(blocks[0] + blocks[1], k=30))  # two pages' blocks mixed
    text = SAMPLES[seed % len(SAMPLES)].read_text(encoding="utf-8")
    cut = rng.randrange(len(text))
    yield text[:cut]  # truncated mid-line


def assert_sound(text):
    page = parse_page(text)
    owned = {n for article in page.articles for n in article.lines} | {n for n, _ in page.leftover}
    nonblank = {n for n, line in enumerate(text.replace("\r", "").split("\n")) if line.strip()}
    assert nonblank <= owned
    for article in page.articles:
        assert article.title.strip()
        assert article.position >= 1
        assert all(block.text.strip() for block in article.blocks)
    positions = [a.position for a in page.articles]
    assert positions == list(range(1, len(positions) + 1))
    assert all(a.parent_position in positions for a in page.articles if a.parent_position)


@pytest.mark.parametrize("seed", range(40))
def test_recombined_pages_parse_soundly(seed):
    for text in variants(seed):
        assert_sound(text)


@pytest.mark.parametrize(
    "text",
    ["■", "■■■■", "##", "## ", "**", "****", "——", "下转", "（下转C2版）", "\u3000\u3000", "\x0c", "本报讯",
     "平湖发布\n今平湖客户端", "2023年13月40日◆星期八", "a" * 5000, "测" * 5000 + "。"],
)
def test_odd_inputs(text):
    assert_sound(text)
