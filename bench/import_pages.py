"""Import benchmark: synthetic page files through import_pages, then re-import and export.

    .venv/bin/python -m bench.import_pages --articles 2000 --workdir /tmp/phimport
    .venv/bin/python -m bench.import_pages --articles 100000 --workdir /tmp/phimport100k --first-only

Writes page files and a manifest (bench.corpus), then times, each in its own
process on a scratch database and index under WORKDIR: the first import (as a
user runs it, search index write included), a re-import of the unchanged
files, export_articles, and, on a second scratch database, the import with
the index write split off (parse + store vs. index). Prints one JSON line.
"""

import argparse
import json
import re
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .corpus import generate, load_pool, write_page_files
from .run import _time_v

ROOT = Path(__file__).resolve().parent.parent


def _env(workdir):
    env = dict(os.environ)
    env.update({
        "PHNEWS_VAR_DIR": str(workdir / "var"),
        "PHNEWS_INDEX_DIR": str(workdir / "index"),
        "PHNEWS_DATA_DIR": str(workdir / "data"),
        "DJANGO_SETTINGS_MODULE": "phnews.settings",
    })
    env.pop("DATABASE_URL", None)  # never the real archive
    return env


REFUSED = re.compile(r"(\d+) 个文件被拒收")


def _manage(workdir, *args, timed=None):
    """(wall seconds, stdout, files refused); ``timed`` (a dict) gets GNU time's wall, CPU and peak RSS."""
    started = time.perf_counter()
    command = [sys.executable, "manage.py", *args]
    if timed is not None:
        command = ["/usr/bin/time", "-v", *command]
    done = subprocess.run(command, cwd=ROOT, env=_env(workdir), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if timed is not None:
        timed["wall_s"], timed["cpu_s"], timed["peak_rss_mb"] = _time_v(done.stderr)
    # The generator deals a few pages whose printed page number another file
    # already took: import_pages refuses them by name and imports the rest.
    if args[0] == "import_pages" and REFUSED.search(done.stderr):
        return elapsed, done.stdout, int(REFUSED.search(done.stderr).group(1))
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed with {done.returncode}")
    return elapsed, done.stdout, 0


def split(pages_dir):
    """In this process: import with the index write held back, then write the index."""
    import django

    django.setup()
    from django.core.management import CommandError, call_command

    from articles.parsing import parse_page
    from articles.search import sync

    parse_page("## 标题\n\n■记者 林旭东\n\n本报讯 平湖经开外资企业跑出加速度。\n")  # load the parser's dictionaries
    call_command("migrate", verbosity=0)
    drain = sync.drain_quietly
    sync.drain_quietly = lambda: None
    started = time.perf_counter()
    try:
        call_command("import_pages", pages_dir, verbosity=0, no_copy=True)
    except CommandError:  # files refused by name (see _manage); the rest are imported
        pass
    stored = time.perf_counter() - started
    sync.drain_quietly = drain
    started = time.perf_counter()
    sync.drain()
    print(json.dumps({"parse_store_s": round(stored, 2), "index_write_s": round(time.perf_counter() - started, 2)}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/phimport"))
    parser.add_argument("--first-only", action="store_true",
                        help="time only the first import (for large runs): no re-import, export or split run")
    args = parser.parse_args(argv)

    workdir = args.workdir.resolve()
    if workdir.exists():
        shutil.rmtree(workdir)
    pages_dir = workdir / "pages"
    meta = write_page_files(generate(args.articles, seed=args.seed, pool=load_pool()), pages_dir)
    files = len(list(pages_dir.glob("*.txt")))

    _manage(workdir, "migrate", "-v0")
    timed = {}
    first, _, refused = _manage(workdir, "import_pages", str(pages_dir), "-v0", timed=timed)
    if args.first_only:
        print(json.dumps({"articles_requested": args.articles, "page_files": files, "refused_files": refused,
                          "import": timed, "import_pages_per_s": round(files / first, 1),
                          "load_average": os.getloadavg()}, ensure_ascii=False))
        return
    again, _, _ = _manage(workdir, "import_pages", str(pages_dir), "-v0")
    export, out, _ = _manage(workdir, "export_articles")
    done = subprocess.run(
        [sys.executable, "-c", f"from bench.import_pages import split; split({str(pages_dir)!r})"],
        cwd=ROOT, env=_env(workdir / "split"), capture_output=True, text=True, check=True)
    parts = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps({
        "articles_requested": args.articles,
        "page_files": files,
        "refused_files": refused,
        "generator": meta,
        "import_s": round(first, 2),
        "import": timed,
        "import_pages_per_s": round(files / first, 1),
        "reimport_unchanged_s": round(again, 2),
        "export_s": round(export, 2),
        "exported_lines": out.count("\n"),
        **parts,
        "load_average": os.getloadavg()[0],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
