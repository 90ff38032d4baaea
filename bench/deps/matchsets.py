"""Match-set representations compared on the operations a search does (docs/search-benchmark.md).

For an archive of N documents, two term sets (half and a fifth of the
archive) and a column of 12 values: build each set from ascending docnums
(as read from posting blocks), intersect them, and count the intersection
by column value (a facet). Python sets, sorted numpy arrays (the mask or
binary search of ``articles.search.engines.local.matchsets``, and numpy's own
intersect1d) and pyroaring bitmaps. CPU time per operation, best of 5.

    python bench/deps/matchsets.py            # needs numpy; pyroaring if installed
"""

import random
import sys
import time

import numpy as np

try:
    import pyroaring
except ImportError:
    pyroaring = None


def best(func, repeat=5):
    times = []
    for _ in range(repeat):
        started = time.process_time()
        for _ in range(10):
            func()
        times.append((time.process_time() - started) / 10)
    return min(times) * 1000


def case(n):
    rng = random.Random(1)
    a = sorted(rng.sample(range(n), n // 2))
    b = sorted(rng.sample(range(n), n // 5))
    codes = np.array([rng.randrange(12) for _ in range(n)], np.int32)
    codes_list = codes.tolist()
    na, nb = np.array(a, np.int32), np.array(b, np.int32)
    rows = {}

    sa, sb = set(a), set(b)
    rows["python set"] = (
        best(lambda: set(a)),
        best(lambda: sa & sb),
        best(lambda: np.bincount([codes_list[d] for d in sa & sb], minlength=12)),
    )

    def mask_and():
        flags = np.zeros(n, bool)
        flags[na] = True
        return nb[flags[nb]]

    rows["numpy array, mask"] = (
        best(lambda: np.array(a, np.int32)),
        best(mask_and),
        best(lambda: np.bincount(codes[mask_and()], minlength=12)),
    )
    rows["numpy intersect1d"] = (
        best(lambda: np.array(a, np.int32)),
        best(lambda: np.intersect1d(na, nb, assume_unique=True)),
        best(lambda: np.bincount(codes[np.intersect1d(na, nb, assume_unique=True)], minlength=12)),
    )
    if pyroaring is not None:
        ra, rb = pyroaring.BitMap(a), pyroaring.BitMap(b)
        rows[f"pyroaring {pyroaring.__version__}"] = (
            best(lambda: pyroaring.BitMap(a)),
            best(lambda: ra & rb),
            best(lambda: np.bincount(codes[np.array((ra & rb).to_array(), np.int32)], minlength=12)),
        )
    print(f"\nN = {n:,}: build {n // 2:,} docnums / intersect with {n // 5:,} / intersect and count by column (ms)")
    for name, (build, inter, facet) in rows.items():
        print(f"  {name:22} {build:8.3f} {inter:8.3f} {facet:8.3f}")


if __name__ == "__main__":
    print(sys.version.split()[0], "numpy", np.__version__)
    for size in (20_000, 100_000, 300_000):
        case(size)
