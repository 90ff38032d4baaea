"""bench.related end to end on a tiny benchmark archive (no timing asserted)."""

import json
import subprocess
import sys

from bench.related import sample_ids
from tests.bench.commands import ROOT, bench


def test_related_reports_are_timed_on_a_built_archive(tmp_path):
    work = str(tmp_path / "work")
    bench("bench.run", "generate", "--articles", "60", "--workdir", work)
    bench("bench.run", "build", "--setup", "ours", "--workdir", work)
    printed = json.loads(bench("bench.related", "--workdir", work, "--articles", "5", "--repeat", "2").splitlines()[-1])
    assert printed == json.loads((tmp_path / "work" / "results" / "related.json").read_text())
    assert (printed["archive_articles"], printed["sampled_articles"], printed["calls"]) == (60, 5, 10)
    assert 0 < printed["p50_ms"] <= printed["p95_ms"] <= printed["max_ms"]
    assert 0 < printed["listed_mean"] <= 6


def test_without_an_index_it_says_so(tmp_path):
    work = str(tmp_path / "work")
    bench("bench.run", "generate", "--articles", "5", "--workdir", work)
    run = subprocess.run([sys.executable, "-m", "bench.related", "--workdir", work, "--articles", "2"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and "the search index did not answer" in run.stderr


def test_samples_are_spread_across_the_archive_and_fixed_by_the_seed():
    ids = list(range(1, 1001))
    picks = sample_ids(ids, 10, seed=1)
    assert picks == sample_ids(reversed(ids), 10, seed=1) != sample_ids(ids, 10, seed=2)
    assert [(pick - 1) // 100 for pick in picks] == list(range(10))
    assert sample_ids(ids[:3], 10, seed=1) == ids[:3]
