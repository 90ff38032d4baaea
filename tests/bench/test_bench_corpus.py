"""The synthetic-archive generator: deterministic, made of real sample text."""

import csv

from bench.corpus import (
    ARTICLES_PER_PAGE, PAGES_PER_ISSUE, generate, load_pool, render_page, write_page_files,
)


def test_same_seed_gives_the_same_archive_and_another_seed_does_not():
    pool = load_pool()
    first = list(generate(60, seed=3, pool=pool))
    again = list(generate(60, seed=3, pool=load_pool()))
    other = list(generate(60, seed=4, pool=pool))
    assert first == again
    assert [a.body for a in first] != [a.body for a in other]


def test_articles_are_real_sample_paragraphs_of_about_750_characters():
    pool = load_pool()
    paragraphs = set(pool.paragraphs)
    for spec in generate(80, seed=1, pool=pool):
        size = len(spec.title) + len(spec.subtitle) + len(spec.body.replace("\n", ""))
        assert 650 <= size <= 850, size
        for paragraph in spec.body.split("\n\n"):
            # Whole paragraphs, or a sentence-cut head of one for the last.
            assert paragraph in paragraphs or any(p.startswith(paragraph) for p in paragraphs)
        assert spec.title in pool.headlines
        assert spec.credits and all(len(name) >= 2 for name, _ in spec.credits)


def test_archive_layout_is_issues_of_pages_of_articles():
    specs = list(generate(ARTICLES_PER_PAGE * PAGES_PER_ISSUE + 1, seed=1))
    first, last = specs[0], specs[-1]
    assert (first.page_label, first.position) == ("1", 1)
    assert specs[ARTICLES_PER_PAGE].page_label == "2"
    assert (last.page_label, last.position) == ("1", 1)
    assert (last.issue_date - first.issue_date).days == 1


def test_page_files_look_like_the_samples_and_have_a_manifest(tmp_path):
    specs = list(generate(12, seed=1))
    written = write_page_files(specs, tmp_path)
    assert written == 3  # 5 + 5 + 2 articles
    with open(tmp_path / "manifest.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["page"] for r in rows] == ["1", "2", "3"]
    text = (tmp_path / rows[0]["file"]).read_text(encoding="utf-8")
    assert text == render_page(specs[:5])
    bylines = [line for line in text.splitlines() if line.startswith("■")]
    assert len(bylines) == 5
    body_lines = [line for line in text.splitlines() if line and not line.startswith("■")]
    assert max(len(line) for line in body_lines if line not in {s.title for s in specs}) <= 26
    # Hard-wrapped, as the extracted pages are: a paragraph spans lines.
    assert specs[0].body.split("\n\n")[0][:16] in text.splitlines()
