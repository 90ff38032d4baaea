"""Import faults: a run killed half-way, two runs at once."""

import os
import signal
import time

from . import case

READER_PAGES = ("/", "/calendar/", "/feed/issues.atom")


def _summary(output):
    """The import's 汇总 line (counts of this run), else its last line."""
    lines = output.strip().splitlines()
    return next((line for line in lines if line.startswith("汇总")), lines[-1] if lines else "")


def _site_answers(archive):
    return {path: archive.get(path)[0] for path in READER_PAGES}


def _partial_pages(archive, expected):
    """Stored pages of the batch whose article count differs from their file's parse."""
    stored = archive.articles_per_page(list(expected))
    return stored, sorted(name for name, count in stored.items() if count != expected[name])


@case("kill-import")
def kill_import(ctx):
    archive = ctx.archive
    folder, expected = ctx.batch()
    before = archive.counts()
    ctx.say(f"batch: {len(expected)} page files, {sum(expected.values())} articles; before: {before}")

    target = before["pages"] + max(1, len(expected) // 3)
    run = archive.start_manage("import_pages", folder, "-v0")
    started = time.monotonic()
    while archive.counts()["pages"] < target and run.poll() is None:
        time.sleep(0.05)
    finished_first = run.poll() is not None
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    at_kill = archive.counts()
    stored, partial = _partial_pages(archive, expected)
    ctx.say(f"SIGKILL after {time.monotonic() - started:.1f} s: {len(stored)}/{len(expected)} files stored, "
            f"{len(partial)} stored partially; counts {at_kill}")
    site = _site_answers(archive)
    health_status, health = archive.healthz()
    ctx.say(f"site after the kill: {site}, /healthz {health_status}")
    leftovers = sorted(str(path.relative_to(archive.data)) for path in archive.data.rglob("*.part"))
    if leftovers:
        ctx.say(f"half-written copies left in the data dir: {leftovers}")

    again = archive.manage("import_pages", folder, "-v0")
    waited = "另一个导入正在进行" in again.stderr
    summary = _summary(again.stdout)
    ctx.say(f"re-run: exit {again.returncode}{', waited for a lock' if waited else ''}; {summary}")
    if again.returncode:
        ctx.say(again.stderr.strip()[-1500:])
    stored_after, partial_after = _partial_pages(archive, expected)
    documents, after = archive.wait_for_index()
    ctx.say(f"after: {after}; index documents {documents}")
    missing = sorted(set(expected) - set(stored_after))
    if missing:
        ctx.say(f"missing after the re-run: {missing}")
    return {
        "ok": (not finished_first and not partial and not partial_after and not missing and not waited
               and again.returncode == 0 and all(status == 200 for status in site.values())
               and health_status == 200 and documents == after["articles"]
               and after["pages"] == before["pages"] + len(expected)),
        "files": len(expected),
        "killed_after_files": len(stored),
        "import_finished_before_kill": finished_first,
        "partial_pages_after_kill": partial,
        "site_after_kill": site,
        "healthz_after_kill": health_status,
        "rerun_exit": again.returncode,
        "rerun_waited_for_lock": waited,
        "missing_after_rerun": missing,
        "partial_pages_after_rerun": partial_after,
        "before": before,
        "at_kill": at_kill,
        "after": after,
        "index_documents": documents,
        "part_files": leftovers,
    }


@case("concurrent-import")
def concurrent_import(ctx):
    archive = ctx.archive
    folder, expected = ctx.batch()
    before = archive.counts()
    ctx.say(f"batch: {len(expected)} page files, {sum(expected.values())} articles; before: {before}")
    started = time.monotonic()
    runs = [archive.start_manage("import_pages", folder, "-v0") for _ in range(2)]
    outputs = [run.communicate(timeout=1800) for run in runs]
    elapsed = time.monotonic() - started
    codes = [run.returncode for run in runs]
    errors = "".join(err for _, err in outputs)
    problems = sorted({word for word in ("database is locked", "UNIQUE", "IntegrityError", "拒收") if word in errors})
    for number, ((out, err), code) in enumerate(zip(outputs, codes), start=1):
        ctx.say(f"run {number}: exit {code}; {_summary(out)}")
        if code:
            ctx.say(err.strip()[-1500:])
    waited = "另一个导入正在进行" in errors
    stored, partial = _partial_pages(archive, expected)
    missing = sorted(set(expected) - set(stored))
    documents, after = archive.wait_for_index()
    ctx.say(f"both done in {elapsed:.1f} s{'; one waited for the other' if waited else ''}; "
            f"stored {len(stored)}/{len(expected)} files; after: {after}; index documents {documents}")
    if problems:
        ctx.say(f"errors seen: {problems}")
    return {
        "ok": (codes == [0, 0] and not missing and not partial and not problems
               and after["pages"] == before["pages"] + len(expected) and documents == after["articles"]),
        "files": len(expected),
        "exit_codes": codes,
        "one_waited": waited,
        "errors_seen": problems,
        "missing": missing,
        "partial_pages": partial,
        "before": before,
        "after": after,
        "index_documents": documents,
        "seconds": round(elapsed, 1),
    }
