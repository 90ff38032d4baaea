"""The benchmark harness end to end on a tiny archive (no timing asserted)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import generate
from bench.queries import QUERY_MIX
from bench.run import main

ROOT = Path(__file__).resolve().parents[2]


def test_harness_builds_and_queries_both_setups_on_fifty_articles(tmp_path):
    work = tmp_path / "work"
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "all", "--articles", "50", "--repeat", "1",
         "--setups", "plain,ours", "--workdir", str(work)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    corpus = json.loads((work / "corpus.json").read_text())
    assert corpus == {"articles": 50, "seed": 1, "seconds": corpus["seconds"]}
    for setup in ("plain", "ours"):
        build = json.loads((work / "results" / f"build-{setup}.json").read_text())
        assert build["documents"] == 50
        assert build["index_mb"] > 0 and build["peak_rss_mb"] > 0
        query = json.loads((work / "results" / f"query-{setup}.json").read_text())
        assert query["queries"] == len(QUERY_MIX)
        assert 0 < query["p50_ms"] <= query["p95_ms"] <= query["max_ms"]
        assert 0 < query["cpu_p50_ms"] <= query["cpu_p95_ms"]
        assert build["build_cpu_seconds"] > 0
        assert set(query["hits"]) == {q.describe() for q in QUERY_MIX}
    # Ours is built exactly as operators build it, in its own process.
    ours_build = json.loads((work / "results" / "build-ours.json").read_text())
    assert ours_build["command"].endswith("manage.py rebuild_index --noinput")
    # Our engine promises literal-substring recall, so on the benchmark corpus
    # its counts must equal a plain substring scan of the generated articles.
    ours = json.loads((work / "results" / "query-ours.json").read_text())["hits"]
    texts = [
        " ".join([a.title, a.subtitle, a.column, a.body.replace("\n", ""), *(n for n, _ in a.credits)])
        for a in generate(50, seed=1)
    ]
    for literal, key in (("平湖", "平湖"), ("长三角一体化", '"长三角一体化"'), ("林旭东", "林旭东")):
        assert ours[key] == sum(literal in text for text in texts), literal
    assert "| plain | 50 |" in run.stdout and "| ours | 50 |" in run.stdout
    assert "p95 speed-up of ours over plain" in run.stdout


def test_generate_refuses_to_overwrite_an_existing_corpus(tmp_path):
    (tmp_path / "corpus.json").write_text('{"articles": 5}')
    with pytest.raises(SystemExit, match="already holds a corpus"):
        main(["generate", "--articles", "5", "--workdir", str(tmp_path)])
    assert (tmp_path / "corpus.json").read_text() == '{"articles": 5}'
    assert not (tmp_path / "phnews.sqlite3").exists()
