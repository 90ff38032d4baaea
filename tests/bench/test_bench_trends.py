"""bench.trends end to end on a tiny archive (no timing asserted): it counts what the generated articles hold."""

import json

from bench.corpus import generate
from bench.trends import TERMS
from tests.bench.commands import bench


def test_trends_bench_times_the_four_terms_and_counts_them_right(tmp_path):
    work = str(tmp_path / "work")
    bench("bench.run", "generate", "--articles", "60", "--workdir", work)
    bench("bench.run", "build", "--setup", "ours", "--workdir", work)
    printed = json.loads(bench("bench.trends", "--workdir", work, "--repeat", "2").strip().splitlines()[-1])
    saved = json.loads((tmp_path / "work" / "results" / "trends.json").read_text())
    assert printed == saved
    assert saved["terms"] == TERMS and saved["calls"] == 2 and saved["errors"] == {}
    assert 0 < saved["p50_ms"] <= saved["p95_ms"] <= saved["max_ms"]
    assert saved["articles"] == 60 and saved["by"] == "month"
    # Literal recall: a term's count is the number of generated articles holding it as written.
    texts = [" ".join([a.title, a.subtitle, a.column, a.body.replace("\n", ""), *(n for n, _ in a.credits)])
             for a in generate(60, seed=1)]
    assert saved["counts"]["平湖"] > 0
    for term in ("平湖", "林旭东"):
        assert saved["counts"][term] == sum(term in text for text in texts), term
    assert saved["counts"]["“高质量发展”"] == sum("高质量发展" in text for text in texts)
