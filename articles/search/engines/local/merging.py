"""Which segments an incremental index write merges.

Every drain of the edit queue (an import, a staff edit) commits one new
segment. Whoosh's default policy, ``MERGE_SMALL``, merges segments into the
writer while their running total stays under a Fibonacci number of the
segment count; once an index has twenty-odd segments that bound passes the
whole archive, and one ordinary import copies every posting of a 100,000-
article index through the writer's buffer: minutes of CPU, and memory up to
the writer's spill limit.

``bounded_merge`` merges only small segments, in tiers: when there are
``MERGE_FACTOR`` segments of roughly one size (documents counted in powers of
``MERGE_FACTOR``), they become one segment of the next tier. No merge takes
more than ``MAX_MERGED_DOCS`` documents, so what a write costs never grows
with the archive, and the small segments stay few (at most
``MERGE_FACTOR - 1`` per tier). Segments bigger than that (a rebuild's, or
the ones these merges build up) are left as they are until the next
``rebuild_index``.
"""

from whoosh.writing import OPTIMIZE

# Segments of one tier wait until there are this many, then merge into one.
MERGE_FACTOR = 10
# The most documents one write merges: about 20,000 x 1,000 postings, which
# the writer spills to run files past its limitmb, in a few seconds of CPU.
MAX_MERGED_DOCS = 20_000


def _tier(size):
    tier = 0
    while size >= MERGE_FACTOR:
        size //= MERGE_FACTOR
        tier += 1
    return tier


def segments_to_merge(sizes):
    """Indexes into ``sizes`` (documents per segment, deleted ones included) of the segments to merge.

    The lowest tier holding ``MERGE_FACTOR`` segments (counting the smaller
    tiers with it) is merged, smallest segments first, while their total
    stays within ``MAX_MERGED_DOCS``; nothing if that leaves fewer than two.
    """
    small = sorted((size, i) for i, size in enumerate(sizes) if size < MAX_MERGED_DOCS)
    counted = 0
    for position, (size, _) in enumerate(small):
        counted += 1
        last_of_tier = position + 1 == len(small) or _tier(small[position + 1][0]) > _tier(size)
        if last_of_tier and counted >= MERGE_FACTOR:
            chosen, total = [], 0
            for size_, i in small[:position + 1]:
                if total + size_ > MAX_MERGED_DOCS:
                    break
                chosen.append(i)
                total += size_
            return chosen if len(chosen) > 1 else []
    return []


def bounded_merge(writer, segments):
    """A Whoosh merge policy (``writer.commit(mergetype=...)``): merges what segments_to_merge picks."""
    # A segment whose every document was replaced or deleted (update_index
    # over the whole archive leaves the rebuild's so) has nothing to keep.
    segments = [segment for segment in segments if segment.doc_count()]
    chosen = set(segments_to_merge([segment.doc_count_all() for segment in segments]))
    if not chosen:
        return segments
    OPTIMIZE(writer, [segment for i, segment in enumerate(segments) if i in chosen])
    return [segment for i, segment in enumerate(segments) if i not in chosen]
