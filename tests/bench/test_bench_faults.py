"""The fault-injection harness's parts that need no server (the cases themselves run against bin/run)."""

import argparse

import pytest

from bench.faults import CASES
from bench.faults.__main__ import main
from bench.faults.harness import Context


def test_cases_are_listed_and_unknown_ones_refused(capsys):
    assert main(["--list"]) == 0
    listed = capsys.readouterr().out.split()
    assert {"kill-import", "concurrent-import"} <= set(listed) and listed == list(CASES)
    with pytest.raises(SystemExit) as refused:
        main(["no-such-case"])
    assert refused.value.code == 2


def test_batches_never_claim_the_same_page(tmp_path):
    ctx = Context(argparse.Namespace(workdir=tmp_path, port=8110, pages=4))
    first, first_expected = ctx.batch()
    second, second_expected = ctx.batch()
    assert len(first_expected) == len(second_expected) == 4
    rows = lambda folder: (folder / "manifest.csv").read_text().splitlines()[1:]  # noqa: E731
    slots = lambda folder: {tuple(row.split(",")[1:3]) for row in rows(folder)}  # noqa: E731
    assert not slots(first) & slots(second)
    assert all(count > 0 for count in first_expected.values())
