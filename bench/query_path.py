"""Which of the project's files one reader's search passes through, view to engine and back.

    .venv/bin/python -m bench.query_path --workdir W [--q 平湖]

Imports the bundled sample pages into W (once), then serves one search page
through Django's test client with a profiler hook that records every call
made in the project's own code (articles/): the files entered, in order, and
how many calls cross from one file to another. The first search of the
process is run and discarded, so opening the index is not counted.
"""

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--q", default="平湖")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.update(PHNEWS_VAR_DIR=str(workdir), PHNEWS_INDEX_DIR=str(workdir / "index"),
                      DJANGO_SETTINGS_MODULE="phnews.settings", DJANGO_ALLOWED_HOSTS="testserver")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article

    call_command("migrate", verbosity=0)
    if not Article.objects.exists():
        call_command("import_pages", str(settings.PHNEWS_SAMPLES_DIR), verbosity=0)
        call_command("rebuild_index", interactive=False, verbosity=0)
    client = Client()
    client.get("/search/", {"q": args.q})
    own = str(ROOT / "articles") + os.sep
    entered, crossings = [], Counter()

    def hook(frame, event, arg):
        if event != "call":
            return
        path = frame.f_code.co_filename
        if not path.startswith(own):
            return
        name = path[len(str(ROOT)) + 1:]
        if name not in entered:
            entered.append(name)
        caller = frame.f_back
        while caller is not None and not caller.f_code.co_filename.startswith(own):
            caller = caller.f_back
        if caller is not None and caller.f_code.co_filename != path:
            crossings[name] += 1

    sys.setprofile(hook)
    try:
        response = client.get("/search/", {"q": args.q})
    finally:
        sys.setprofile(None)
    assert response.status_code == 200, response.status_code
    search = [name for name in entered if name.startswith("articles/search/")]
    print(f"{len(entered)} files of articles/ entered ({len(search)} of articles/search/), "
          f"{sum(crossings.values())} calls from one of them into another:")
    for name in entered:
        print(f"  {crossings[name]:5}  {name}")


if __name__ == "__main__":
    main()
