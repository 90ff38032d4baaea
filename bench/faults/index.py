"""Search index faults: a damaged index, a missing index folder, a full disk and a read-only one under the index."""

import json
import os
import shutil
import signal
import subprocess
import time
from urllib.parse import quote

from . import case

UNAVAILABLE = "检索服务暂时不可用"
EDIT = """
import sys
from articles.models import Article
article = Article.objects.order_by("pk").first()
article.title = sys.argv[1]
article.save()
"""


def _search(archive, q):
    """(status, count or None, the unavailable message shown) of the JSON search API."""
    status, body = archive.get(f"/api/search?q={quote(q)}")
    try:
        data = json.loads(body)
    except ValueError:
        return status, None, False
    return status, data.get("count"), UNAVAILABLE in data.get("error", "")


def _page(archive, q):
    status, body = archive.get(f"/search/?q={quote(q)}")
    return status, UNAVAILABLE in body


def _edit(archive, title):
    done = archive.manage("shell", "-c", EDIT.replace("sys.argv[1]", repr(title)))
    if done.returncode:
        raise RuntimeError(done.stderr[-1500:])


def _wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def _reload_workers(archive):
    """A graceful reload: new workers, which open the index afresh (as after a restart or a recycle)."""
    os.kill(archive.server.pid, signal.SIGHUP)
    time.sleep(3)
    _wait(lambda: archive.get("/")[0] == 200, 60)


def _writer_lines(archive, since):
    with open(archive.log_path, "rb") as log:
        log.seek(since)
        text = log.read().decode("utf-8", "replace")
    return [line for line in text.splitlines() if line.startswith("search_sync:")]


@case("damaged-index")
def damaged_index(ctx):
    archive = ctx.archive
    index = archive.var / "whoosh_index"
    before = _search(archive, "平湖")
    segments = sorted(index.glob("*.seg"), key=lambda p: p.stat().st_size)
    ctx.say(f"before: search {before[0]}, {before[1]} hits; deleting {segments[-1].name} "
            f"({segments[-1].stat().st_size // 1024} KB) of {len(segments)} segment files")
    segments[-1].unlink()
    _reload_workers(archive)
    damaged = _search(archive, "平湖")
    page = _page(archive, "平湖")
    home = archive.get("/")[0]
    health_status, health = archive.healthz()
    ctx.say(f"damaged: API {damaged[0]} (message shown: {damaged[2]}), page {page[0]} (message: {page[1]}), "
            f"home {home}, /healthz {health_status} {health.get('index')}")

    started = time.monotonic()
    rebuilt = archive.manage("rebuild_index", "--noinput")
    ctx.say(f"rebuild_index: exit {rebuilt.returncode} in {time.monotonic() - started:.1f} s")
    repaired = _search(archive, "平湖")
    documents, counts = archive.wait_for_index(timeout=60)
    health_after = archive.healthz()[0]
    ctx.say(f"repaired, no restart: search {repaired[0]}, {repaired[1]} hits; index {documents} documents for "
            f"{counts['articles']} articles; /healthz {health_after}")
    return {
        "ok": (before[0] == 200 and damaged[0] == 503 and damaged[2] and page == (503, True) and home == 200
               and health_status == 503 and rebuilt.returncode == 0 and repaired[0] == 200
               and repaired[1] == before[1] and health_after == 200),
        "search_before": before[:2],
        "search_damaged": damaged,
        "page_damaged": page,
        "home_damaged": home,
        "healthz_damaged": health_status,
        "search_repaired": repaired[:2],
        "healthz_repaired": health_after,
    }


@case("missing-index-folder")
def missing_index_folder(ctx):
    """The whole index folder removed: workers answer 503 and create nothing; rebuild_index brings it back."""
    archive = ctx.archive
    index = archive.var / "whoosh_index"
    before = _search(archive, "平湖")
    shutil.rmtree(index)
    ctx.say(f"before: search {before[0]}, {before[1]} hits; removed {index.name}/")
    _reload_workers(archive)
    missing = _search(archive, "平湖")
    page = _page(archive, "平湖")
    home = archive.get("/")[0]
    health_status, health = archive.healthz()
    created = index.exists()
    ctx.say(f"missing: API {missing[0]} (message shown: {missing[2]}), page {page[0]} (message: {page[1]}), "
            f"home {home}, /healthz {health_status} {health.get('index')}; folder created by a worker: {created}")
    rebuilt = archive.manage("rebuild_index", "--noinput")
    repaired = _search(archive, "平湖")
    health_after = archive.healthz()[0]
    ctx.say(f"rebuild_index: exit {rebuilt.returncode}; search {repaired[0]}, {repaired[1]} hits; "
            f"/healthz {health_after}")
    return {
        "ok": (before[0] == 200 and missing[0] == 503 and missing[2] and page == (503, True) and home == 200
               and health_status == 503 and not created and rebuilt.returncode == 0 and repaired[0] == 200
               and repaired[1] == before[1] and health_after == 200),
        "search_before": before[:2],
        "search_missing": missing,
        "page_missing": page,
        "healthz_missing": health_status,
        "created_by_a_worker": created,
        "search_repaired": repaired[:2],
        "healthz_repaired": health_after,
    }


def _disk_case(ctx, name, break_disk, mend_disk):
    """Serve the archive with its index on a small scratch filesystem, break the disk, edit, mend it."""
    archive = ctx.archive
    if os.geteuid() != 0:
        ctx.say("needs root to mount a small scratch filesystem for the index; not run")
        return {"ok": False, "not_run": "needs root (mount)"}
    live = archive.var / "whoosh_index"
    mount = ctx.workdir / f"{name}-disk"
    mount.mkdir(exist_ok=True)
    size_kb = sum(p.stat().st_size for p in live.rglob("*") if p.is_file()) // 1024 * 3 + 2048
    archive.stop()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount)], check=True)
    try:
        shutil.copytree(live, mount / "whoosh_index")
        archive.env["PHNEWS_INDEX_DIR"] = str(mount / "whoosh_index")
        archive.start()
        log_start = archive.log_path.stat().st_size
        ctx.say(f"index on a {size_kb // 1024} MB scratch filesystem: {archive.healthz()[1].get('index')}")

        how = break_disk(mount)
        title = f"故障演练{name}标题"
        started = time.monotonic()
        _edit(archive, title)
        saved_in = time.monotonic() - started
        time.sleep(5)  # the writer's loop tries (and fails) meanwhile
        status, health = archive.healthz()
        while_broken = {
            "edit_command_s": round(saved_in, 1),
            "queued": archive.counts()["queued_index_updates"],
            "search": _search(archive, "平湖")[:2],
            "found_edit": _search(archive, title)[1],
            "healthz": status,
            "queue": health.get("queue"),
        }
        ctx.say(f"{how}; an article edited (manage.py shell, {saved_in:.1f} s with start-up); while broken: {while_broken}")

        mend_disk(mount)
        applied = _wait(lambda: archive.counts()["queued_index_updates"] == 0, 150)
        after = {"search": _search(archive, "平湖")[:2], "found_edit": _search(archive, title)[1],
                 "healthz": archive.healthz()[0]}
        lines = _writer_lines(archive, log_start)
        ctx.say(f"mended: queue drained by the writer: {applied}; after: {after}")
        for line in lines[-4:]:
            ctx.say(f"  log: {line}")
    finally:
        archive.stop()
        archive.env.pop("PHNEWS_INDEX_DIR", None)
        subprocess.run(["umount", str(mount)], check=False)
        archive.start()  # bin/run brings the old directory up to date (rebuild or queue)
    return {
        "ok": (while_broken["queued"] > 0 and while_broken["search"][0] == 200 and while_broken["found_edit"] == 0
               and applied and after["found_edit"] == 1 and after["healthz"] == 200
               and any("trying again" in line for line in lines)),
        "while_broken": while_broken,
        "after": after,
        "writer_log": lines[-6:],
    }


@case("full-disk")
def full_disk(ctx):
    def fill(mount):
        filler = mount / "filler"
        with open(filler, "wb") as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass
        return f"filled the index's filesystem ({filler.stat().st_size // 1024} KB of filler)"

    return _disk_case(ctx, "full", fill, lambda mount: (mount / "filler").unlink())


@case("read-only-index")
def read_only_index(ctx):
    def remount(mode):
        return lambda mount: subprocess.run(["mount", "-o", f"remount,{mode}", str(mount)], check=True)

    ro = remount("ro")
    return _disk_case(ctx, "readonly", lambda mount: (ro(mount), "remounted the index's filesystem read-only")[1],
                      remount("rw"))

