"""Guard faults: a folder swapped for a link while an import reads it; a backup while the archive is written."""

import json
import sqlite3
import subprocess
import sys
import threading
import time
from urllib.parse import quote

from . import case
from .harness import ROOT

MARKER = "鲸落青苔外泄标记"
EDITS = 30

# Article saves one after another, as staff correcting titles would make them.
EDIT_LOOP = f"""
import time
from django.db import transaction
from articles.models import Article
done = 0
for n in range({EDITS}):
    with transaction.atomic():
        article = Article.objects.order_by("?").first()
        article.title = article.title.split(" ·改")[0] + f" ·改{{n}}"
        article.save()
    done += 1
    time.sleep(0.05)
print("edits", done, flush=True)
"""


@case("folder-swap-race")
def folder_swap_race(ctx):
    archive = ctx.archive
    folder, expected = ctx.batch()
    # Half of the batch in a sub-folder, and a tree outside with the same names holding a marker.
    sub = folder / "sub"
    sub.mkdir()
    outside = ctx.workdir / "outside"
    outside.mkdir(exist_ok=True)
    for name in sorted(expected)[: len(expected) // 2]:
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).rename(sub / name)
        (outside / name).write_text(text + f"\n## 内部通知\n\n本报讯 口令为{MARKER}，请勿外传。\n", encoding="utf-8")
    before = archive.counts()
    ctx.say(f"batch: {len(expected)} files, {len(expected) // 2} of them in sub/; swapping sub/ for a link "
            f"to {outside} and back as fast as possible while import_pages runs")

    stop, swaps = threading.Event(), [0]

    def swap():
        aside = folder.parent / (folder.name + "-sub-aside")
        while not stop.is_set():
            sub.rename(aside)
            sub.symlink_to(outside, target_is_directory=True)
            sub.unlink()
            aside.rename(sub)
            swaps[0] += 1

    swapper = threading.Thread(target=swap)
    swapper.start()
    try:
        runs = [archive.manage("import_pages", folder, "-v0") for _ in range(3)]
    finally:
        stop.set()
        swapper.join()
    codes = [run.returncode for run in runs]
    refusals = sum(run.stderr.count("符号链接") for run in runs)
    leaked = archive.query("SELECT count(*) FROM articles_page WHERE raw_text LIKE ?", (f"%{MARKER}%",))[0][0]
    search_status, search_body = archive.get("/search/?q=" + quote(MARKER))
    found_by_search = MARKER in search_body and "没有找到" not in search_body and search_status == 200
    ctx.say(f"{swaps[0]} swaps during 3 runs: exits {codes}, {refusals} refusals naming a link; "
            f"pages holding the marker: {leaked}; search for it: HTTP {search_status}")

    again = archive.manage("import_pages", folder, "-v0")
    stored = archive.articles_per_page(list(expected))
    missing = sorted(set(expected) - set(stored))
    partial = sorted(name for name, count in stored.items() if count != expected[name])
    documents, after = archive.wait_for_index()
    ctx.say(f"re-run without swaps: exit {again.returncode}; stored {len(stored)}/{len(expected)}; after {after}")
    return {
        "ok": (leaked == 0 and not found_by_search and all(code in (0, 1) for code in codes)
               and again.returncode == 0 and not missing and not partial and documents == after["articles"]),
        "swaps": swaps[0],
        "exit_codes": codes,
        "refusals_naming_a_link": refusals,
        "pages_with_marker": leaked,
        "marker_found_by_search": found_by_search,
        "rerun_exit": again.returncode,
        "missing_after_rerun": missing,
        "partial_pages": partial,
        "before": before,
        "after": after,
        "index_documents": documents,
    }


@case("backup-during-writes")
def backup_during_writes(ctx):
    archive = ctx.archive
    # A long import, so it is still writing when the backup takes its snapshot.
    folder, expected = ctx.batch(ctx.options.pages * 4)
    before = archive.counts()
    importing = archive.start_manage("import_pages", folder, "-v0")
    editing = archive.start_manage("shell", "-c", EDIT_LOOP)
    while archive.counts()["pages"] < before["pages"] + 1 and importing.poll() is None:
        time.sleep(0.05)
    import_running = importing.poll() is None

    statuses, stop = [], threading.Event()

    def read_pages():
        while not stop.is_set():
            statuses.append(archive.get("/")[0])

    reader = threading.Thread(target=read_pages)
    reader.start()
    dest = ctx.workdir / "backup"
    started = time.monotonic()
    backup = archive.manage("backup", dest)
    seconds = time.monotonic() - started
    stop.set()
    reader.join()
    import_out, import_err = importing.communicate(timeout=1800)
    edit_out, edit_err = editing.communicate(timeout=600)
    ctx.say(f"backup during the import ({'running' if import_running else 'already done'}) and {EDITS} edits: "
            f"exit {backup.returncode} in {seconds:.1f} s; home page during it: {len(statuses)} requests, "
            f"statuses {sorted(set(statuses))}")
    if backup.returncode:
        ctx.say(backup.stderr.strip()[-1500:])
        return {"ok": False, "backup_exit": backup.returncode}
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))

    restored = ctx.workdir / "restored"
    env = dict(archive.command_env(), PHNEWS_VAR_DIR=str(restored / "var"), PHNEWS_DATA_DIR=str(restored / "data"))
    restore = subprocess.run([sys.executable, "manage.py", "restore", str(dest)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=1800)
    ctx.say(f"restore into {restored}: exit {restore.returncode}")
    if restore.returncode:
        ctx.say(restore.stderr.strip()[-1500:])
    database = sqlite3.connect(f"file:{restored / 'var' / 'phnews.sqlite3'}?mode=ro", uri=True)
    try:
        restored_pages = dict(database.execute(
            "SELECT p.source_name, count(a.id) FROM articles_page p LEFT JOIN articles_article a ON a.page_id = p.id"
            " GROUP BY p.source_name"))
        restored_counts = {"articles": database.execute("SELECT count(*) FROM articles_article").fetchone()[0],
                           "pages": len(restored_pages)}
    finally:
        database.close()
    of_batch = {name: count for name, count in restored_pages.items() if name in expected}
    partial = sorted(name for name, count in of_batch.items() if count != expected[name])
    stored = archive.articles_per_page(list(expected))
    missing = sorted(set(expected) - set(stored))
    edits_done = edit_out.split()[-1] if edit_out.strip() else "?"
    ctx.say(f"restored: {restored_counts} (manifest: pages {manifest['counts']['pages']}, articles "
            f"{manifest['counts']['articles']}); batch pages in the backup {len(of_batch)}/{len(expected)}, "
            f"partial {partial}; original after the import: {len(stored)}/{len(expected)} stored, edits {edits_done}")
    return {
        "ok": (restore.returncode == 0 and importing.returncode == 0 and editing.returncode == 0
               and restored_counts["articles"] == manifest["counts"]["articles"]
               and restored_counts["pages"] == manifest["counts"]["pages"]
               and not partial and not missing and set(statuses) == {200}),
        "import_running_at_backup": import_running,
        "snapshot_mid_import": 0 < len(of_batch) < len(expected),
        "backup_seconds": round(seconds, 1),
        "home_statuses_during_backup": sorted(set(statuses)),
        "home_requests_during_backup": len(statuses),
        "manifest_counts": manifest["counts"],
        "restored_counts": restored_counts,
        "batch_pages_in_backup": len(of_batch),
        "partial_pages_in_backup": partial,
        "missing_in_original": missing,
        "edits": edits_done,
        "restore_exit": restore.returncode,
    }
