"""The fast literal evaluation finds exactly what Whoosh's own Phrase finds."""

from whoosh import query as wq

from articles.search.text import bigrams, fold
from articles.search.engines.local.build import write_documents
from articles.search.engines.local.evaluate import literal_docs
from articles.search.engines.local.store import forget_readers, searcher

TEXTS = [
    "哈哈哈哈，平湖平湖（上海）", "平湖市平湖经开区", "湖平湖平", "120.4亿元的120.4", "哈哈 哈", "生物医药产业生物",
    "高质量发展高质量", "质量发展高", "abcabcab", "上海平湖",
]


def _docs(texts, start):
    return [{"id": f"articles.article.{i}", "django_id": str(i), "text": t} for i, t in enumerate(texts, start)]


def test_literal_equals_phrase_across_segments_and_deletions(tmp_path):
    path = tmp_path / "idx"
    write_documents(_docs(TEXTS, 1), path, clear=True)
    write_documents(_docs(TEXTS[::-1], 100), path)  # a second segment
    write_documents([], path, delete_ids=[3, 104])
    forget_readers()
    s = searcher(path)
    checked = 0
    for text in TEXTS:
        folded = fold(text)
        for size in range(3, len(folded) + 1):
            for start in range(len(folded) - size + 1):
                grams = bigrams(folded[start:start + size])
                mine = set(literal_docs(s.reader(), "text", grams).tolist())
                theirs = set(s.docs_for_query(wq.Phrase("text", grams)))
                assert mine == theirs, folded[start:start + size]
                checked += 1
    assert checked > 100
    forget_readers()


def test_literal_within_a_few_documents_reads_only_their_blocks_and_agrees(tmp_path, monkeypatch):
    """Ranking checks a literal within a few dozen matches, reading only the blocks that hold them."""
    import random

    from articles.search.engines.local import evaluate

    path = tmp_path / "idx"
    # Enough documents that common bigrams fill several posting blocks.
    filler = [f"平湖{n}号{'高质量' if n % 3 else '质量'}发展{'平湖' * (n % 4)}" for n in range(400)]
    write_documents(_docs(TEXTS + filler, 1), path, clear=True)
    write_documents(_docs(TEXTS[::-1], 1000), path)
    write_documents([], path, delete_ids=[3, 1004, 50])
    forget_readers()
    s = searcher(path)
    reader = s.reader()
    everything = set(s.docs_for_query(wq.Every()))
    rng = random.Random(5)
    checked = 0
    # As configured; every bigram read block by block for the candidates; every one read whole.
    for fraction in (evaluate.SPARSE_FRACTION, 1, 10**9):
        monkeypatch.setattr(evaluate, "SPARSE_FRACTION", fraction)
        for text in ["高质量发展", "平湖平湖", "质量发展", "平湖市平湖", "120.4亿", "号高质量发展平湖", "湖平湖平"]:
            grams = bigrams(fold(text))
            theirs = set(s.docs_for_query(wq.Phrase("text", grams)))
            for size in (1, 5, 40, len(everything)):
                within = set(rng.sample(sorted(everything), size))
                assert set(evaluate.literal_docs(reader, "text", grams, within).tolist()) == theirs & within, (text, size)
                checked += 1
    assert checked == 84
    forget_readers()
