"""The local-names dictionary: readable by staff, strict about mistakes, used by the segmenter."""

import pytest

from articles.search import dictionary
from articles.search.text import words


def test_repo_dictionary_parses_and_names_reach_the_segmenter():
    entries = [e for p in dictionary.dictionary_paths() for e in dictionary.read_entries(p)]
    names = {word for word, _, _ in entries}
    assert {"独山港经济开发区", "林旭东", "六大攻坚行动"} <= names
    assert "独山港经济开发区" in words("独山港经济开发区拥有新材料产业园")
    assert "六大攻坚行动" in words("全面推进六大攻坚行动")


def test_malformed_line_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("# comment\n平湖 100 ns\n独山港 很多\n", encoding="utf-8")
    with pytest.raises(dictionary.DictionaryError, match=r"bad\.txt:3"):
        dictionary.read_entries(path)
