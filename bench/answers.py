"""Every benchmark query's count and top ten, as JSON: to show two versions give the same answers.

    .venv/bin/python -m bench.answers --workdir W > answers.json

Run it in each checkout against a work directory prepared by ``bench.run
generate`` and ``bench.run build --setup ours`` (the same database copied for
each, so article ids agree), then compare the files: ``cmp a.json b.json``.
"""

import argparse
import json

from .run import _setup_django


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args(argv)
    _setup_django(args.workdir)
    from .queries import QUERY_MIX
    from .setups import SETUPS

    setup = SETUPS["ours"]()
    answers = {}
    for query in QUERY_MIX:
        count, top, _, _ = setup.search(query)
        answers[query.describe()] = {"count": count, "top10": top}
    print(json.dumps(answers, ensure_ascii=False, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
