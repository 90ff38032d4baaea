"""The first N articles of a benchmark database written into a fresh index, as ``rebuild_index`` writes them.

    .venv/bin/python -m bench.write_part --workdir W --articles 30000 [--procs 2]

Prints one JSON line: wall and CPU seconds (this process and its writer
processes) and the postings written (every term's document frequency,
summed), so two versions can be compared on the same work and shown to
write the same index. Run it in each checkout against the same work
directory (``bench.run generate``), alternately; it writes to
W/part_index and leaves the work directory's own index alone.
"""

import argparse
import json
import resource
import shutil
import time
from pathlib import Path

from .run import _cpu, _setup_django


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args(argv)
    index_dir = Path(args.workdir) / "part_index"
    shutil.rmtree(index_dir, ignore_errors=True)
    _setup_django(args.workdir, index_dir)
    from haystack import connections

    from articles.models import Article

    backend = connections["default"].get_backend()
    queryset = connections["default"].get_unified_index().get_index(Article).build_queryset(using="default")
    ids = queryset.order_by("pk").values_list("pk", flat=True)
    held = ids.count()
    if not 0 < args.articles <= held:
        raise SystemExit(f"{args.workdir} holds {held} articles, not {args.articles}: bench.run generate more")
    last = ids[args.articles - 1]
    started, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    backend.update_all(queryset.filter(pk__lte=last), procs=args.procs)
    wall = time.perf_counter() - started
    main_cpu, writers_cpu = _cpu(resource.RUSAGE_SELF) - cpu, _cpu(resource.RUSAGE_CHILDREN)
    backend.setup()
    with backend.index.reader() as reader:
        postings = sum(reader.term_info(field, text).doc_frequency() for field, text in reader.all_terms())
        documents = reader.doc_count()
    print(json.dumps({"articles": documents, "procs": args.procs, "wall_s": round(wall, 1),
                      "cpu_main_s": round(main_cpu, 1), "cpu_writers_s": round(writers_cpu, 1),
                      "cpu_s": round(main_cpu + writers_cpu, 1), "postings": postings}))


if __name__ == "__main__":
    main()
