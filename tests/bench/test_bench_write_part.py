"""bench.write_part end to end on a tiny benchmark archive (no timing asserted)."""

import json
import subprocess
import sys

from tests.bench.commands import ROOT, bench


def test_the_first_articles_are_written_to_an_index_of_their_own(tmp_path):
    work = tmp_path / "work"
    bench("bench.run", "generate", "--articles", "40", "--workdir", str(work))
    one = json.loads(bench("bench.write_part", "--workdir", str(work), "--articles", "25", "--procs", "1"))
    two = json.loads(bench("bench.write_part", "--workdir", str(work), "--articles", "25", "--procs", "2"))
    assert one["articles"] == two["articles"] == 25
    # The same articles, however many writer processes: the same postings.
    assert one["postings"] == two["postings"] > 25 * 100
    assert one["cpu_s"] > 0 and one["wall_s"] > 0 and two["cpu_writers_s"] > 0
    assert (work / "part_index").is_dir() and not (work / "ours_index").exists()
    bigger = json.loads(bench("bench.write_part", "--workdir", str(work), "--articles", "40", "--procs", "1"))
    assert bigger["articles"] == 40 and bigger["postings"] > one["postings"]
    more = subprocess.run([sys.executable, "-m", "bench.write_part", "--workdir", str(work), "--articles", "41"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert more.returncode != 0 and "holds 40 articles, not 41" in more.stderr
