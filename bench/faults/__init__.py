"""Fault injection against a served archive: does it keep serving, leak nothing and lose nothing?

    .venv/bin/python -m bench.faults --list
    .venv/bin/python -m bench.faults kill-import concurrent-import [--port 8110] [--pages 60] [--workdir DIR] [--keep]
    .venv/bin/python -m bench.faults all

Each named case breaks one thing on an archive that bin/run serves (gunicorn
on 127.0.0.1:PORT, SQLite, a scratch PHNEWS_VAR_DIR and PHNEWS_DATA_DIR under
WORKDIR, the sample pages imported by bin/run), then prints what it saw —
files imported, counts before and after, errors — as plain lines and one JSON
line per case (``{"case": ..., "ok": ..., ...}``). The exit status is 1 if any
case's checks failed. One archive is started for the whole run and shared by
the cases, which use disjoint page batches, so cases can be combined freely.

Cases (bench/faults/*.py register them with ``@case``):

kill-import
    ``import_pages`` over a batch is killed with SIGKILL after about a third
    of its files are stored. Checks: no page is stored partially (each holds
    the articles its file parses into), the site answers, the import lock died
    with the process (a re-run does not wait), and the re-run stores every
    file, after which the index holds every article.
concurrent-import
    Two ``import_pages`` runs over the same batch start together. Checks:
    both exit 0, one waited for the other, no "database is locked" or unique
    error, every file stored once.
damaged-index
    The largest segment file of the live index is deleted and the workers
    reloaded. Checks: searches answer 503 with "检索服务暂时不可用" (page and
    JSON), never a 500; other pages answer; /healthz says 503; after
    ``rebuild_index`` the next search works, without a restart.
folder-swap-race
    A sub-folder of a batch is swapped for a link to a folder outside (with
    page files of the same names carrying a marker) and back, as fast as a
    thread can, while ``import_pages`` runs over the batch three times.
    Checks: the marker is never stored nor found by search, runs exit 0 or 1
    (refusals), and a re-run without swaps stores every file whole.
backup-during-writes
    ``manage.py backup`` runs while an import of a batch is under way, staff
    edits are saved one after another and a client reads the home page; the
    backup is then restored into a fresh var and data folder with
    ``manage.py restore``. Checks: the home page answered 200 throughout, the
    restored archive's counts are the manifest's, no page of the batch is in
    it partially, and the original still stores every file of the batch.
full-disk, read-only-index
    (root: they mount a small tmpfs for the index.) The index's filesystem is
    filled up, or remounted read-only, and an article is edited. Checks: the
    edit is saved at once and queued, searches keep answering from the old
    index, the writer logs its failure and retries; once the disk is mended
    the writer applies the edit by itself and search finds it.

Adding a case: write ``@case("name")`` on ``def run(ctx)`` in a module of
this package, import the module in ``__main__.py``, return a dict of what you
saw with an ``ok`` key. ``ctx`` (harness.Context) gives ``ctx.archive`` (the
served archive: ``get``, ``manage``, ``counts``, ``healthz``, ``stop``,
``start``), ``ctx.batch(pages)`` (a fresh folder of page files on dates no
other case uses), ``ctx.say`` and the options.
"""

CASES = {}


def case(name):
    def register(function):
        CASES[name] = function
        return function

    return register
