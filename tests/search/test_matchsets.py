"""Match sets as arrays (query/matchsets.py), column ranking (query/columns.py) and joint position decoding."""

import random

import numpy as np
import pytest

from articles.search.engines.local.whoosh.formats import encode_positions
from articles.search.engines.local import columns, matchsets, evaluate


def _random_set(rng, size, share):
    return sorted(d for d in range(size) if rng.random() < share)


def test_set_operations_equal_pythons_at_every_density():
    rng = random.Random(3)
    for size in (1, 40, 5000):
        for share_a, share_b in ((0.0, 0.5), (0.001, 0.9), (0.5, 0.5), (0.02, 0.03), (1.0, 0.01)):
            a, b = _random_set(rng, size, share_a), _random_set(rng, size + 7, share_b)
            na, nb = matchsets.as_docs(a), matchsets.as_docs(set(b))
            assert matchsets.intersect(na, nb).tolist() == sorted(set(a) & set(b))
            assert matchsets.subtract(na, nb).tolist() == sorted(set(a) - set(b))
            assert matchsets.union([na, nb, matchsets.EMPTY]).tolist() == sorted(set(a) | set(b))
            assert matchsets.contains(na, nb).tolist() == [d in set(a) for d in b]
            assert matchsets.unpack(matchsets.pack(nb, size + 7), size + 7).tolist() == b


def test_as_docs_sorts_and_drops_repeats():
    assert matchsets.as_docs([5, 1, 5, 3]).tolist() == [1, 3, 5]
    assert matchsets.as_docs(np.array([9, 2, 2], np.int64)).tolist() == [2, 9]
    assert matchsets.as_docs(iter(())).tolist() == []


def test_first_by_key_equals_a_stable_sort_with_ties():
    rng = random.Random(4)
    docs = matchsets.as_docs(rng.sample(range(10000), 3000))
    keys = np.array([rng.randrange(50) for _ in docs], np.int64)
    pairs = list(zip(docs.tolist(), keys.tolist()))
    for n in (1, 7, 60, 2999, 3000, 5000):
        smallest = [d for d, _ in sorted(pairs, key=lambda p: p[1])[:n]]
        largest = [d for d, _ in sorted(pairs, key=lambda p: p[1], reverse=True)[:n]]
        assert columns.first(docs, keys, n).tolist() == smallest
        assert columns.first(docs, keys, n, largest=True).tolist() == largest


def test_coded_column_counts_each_value_of_the_matches():
    values = ["news", "", "commentary", "news", None, "news", "photo"]
    coded = columns.Coded(values)
    assert coded.counts(matchsets.as_docs([0, 1, 2, 3, 4])) == {"commentary": 1, "news": 2}
    assert np.flatnonzero(coded.codes == coded.code("news")).tolist() == [0, 3, 5]
    assert coded.code("absent") == -1 and not (coded.codes == -1).any()


def test_positions_decoded_together_equal_each_value_decoded_alone():
    rng = random.Random(6)
    lists = [sorted(rng.sample(range(0, 70000), rng.randint(1, 12))) for _ in range(300)] + [[0], [0, 1]]
    values = [encode_positions(ps) for ps in lists]
    ids = np.arange(len(values), dtype=np.int32)
    joined = b"".join(values), np.array([len(v) for v in values], np.int64)
    docs, positions = evaluate._positions(ids, joined)
    assert list(zip(docs.tolist(), positions.tolist())) == [(d, p) for d, ps in enumerate(lists) for p in ps]
    # A value of another encoding (not UTF-8, or starting mid-character) is refused, not misread.
    with pytest.raises(ValueError, match="rebuild_index"):
        evaluate._joint_positions(joined[0] + b"\xff", np.append(joined[1], 1))
    with pytest.raises(ValueError, match="rebuild_index"):
        evaluate._joint_positions("平湖".encode(), np.array([1, 5], np.int64))
