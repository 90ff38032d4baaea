"""The fast literal query finds exactly what Whoosh's own Phrase finds."""

from whoosh import query as wq

from articles.search.index.analysis import bigrams, fold
from articles.search.index.build import write_documents
from articles.search.query.evaluate import Literal
from articles.search.store import forget_readers, searcher

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
                mine = set(s.docs_for_query(Literal("text", grams)))
                theirs = set(s.docs_for_query(wq.Phrase("text", grams)))
                assert mine == theirs, folded[start:start + size]
                checked += 1
    assert checked > 100
    forget_readers()
