import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import CASES, __doc__ as DOC
from . import guards  # noqa: F401 (registers its cases)
from . import imports  # noqa: F401 (registers its cases)
from . import index  # noqa: F401 (registers its cases)
from .harness import Context


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.faults", description=DOC.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog="\n".join(DOC.splitlines()[1:]),
    )
    parser.add_argument("cases", nargs="*", metavar="CASE", help="case names, or all")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--port", type=int, default=8110, help="where the archive is served (127.0.0.1)")
    parser.add_argument("--pages", type=int, default=60, help="page files per import batch (5 articles each)")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (server log, database)")
    args = parser.parse_args(argv)

    if args.list or not args.cases:
        print("\n".join(CASES))
        return 0
    names = list(CASES) if args.cases == ["all"] else args.cases
    unknown = [name for name in names if name not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")

    made = args.workdir is None
    args.workdir = Path(tempfile.mkdtemp(prefix="phnews-faults-")) if made else args.workdir.resolve()
    ctx = Context(args)
    failed = []
    try:
        for name in names:
            print(f"== {name}", flush=True)
            started = time.monotonic()
            try:
                outcome = CASES[name](ctx)
            except Exception as error:  # a case that crashes is a failed case, the others still run
                outcome = {"ok": False, "crashed": f"{type(error).__name__}: {error}"}
            outcome = {"case": name, **outcome, "case_seconds": round(time.monotonic() - started, 1)}
            print(json.dumps(outcome, ensure_ascii=False, default=str), flush=True)
            if not outcome["ok"]:
                failed.append(name)
    finally:
        ctx.close()
        if made and not args.keep:
            shutil.rmtree(args.workdir, ignore_errors=True)
        else:
            print(f"scratch folder kept: {args.workdir}")
    print(f"{len(names) - len(failed)}/{len(names)} cases held" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
