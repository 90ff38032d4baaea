"""A segment's sortable columns read whole, as Whoosh would read them a value at a time."""

import struct
from itertools import accumulate

import numpy as np
from whoosh import columns, fields

def column_segments(reader):
    """(key, leaf reader) for each segment of ``reader``, in docnum order.

    ``key`` names the segment for as long as it exists (Whoosh never
    rewrites a segment's columns; a merge writes a new segment), so a
    segment's column values can be kept across searchers.
    """
    return [(leaf.segment().segment_id(), leaf) for leaf, _offset in reader.leaf_readers()]


def read_column(leaf, name):
    """Column ``name``'s values for every docnum of one segment's reader (a list, or an int64 array for numbers).

    Whoosh reads a column a value at a time, one file read each: about 6 s
    for the columns of a 300,000-article segment read with ``pread``. The
    column kinds our schema uses (numbers, and variable-length text) are
    read here in one read each, and translated as Whoosh's
    ``from_column_value`` would; any other kind goes through Whoosh.
    Iterating Whoosh's MultiColumnReader can come up short when a new segment
    holds only empty values, which would shift every later docnum; each
    segment is read on its own and checked against its document count.
    """
    count = leaf.doc_count_all()
    field = leaf.schema[name]
    raw = leaf.column_reader(name, translate=False)
    if type(raw) is columns.NumericColumn.Reader and _plain_integers(field):
        # Stored big-endian in Whoosh's sortable form (signed numbers shifted
        # by half the range); documents past the last stored one hold the default.
        stored = min(raw._count, count)
        values = np.full(count, struct.unpack("!" + raw._typecode, raw._defaultbytes)[0], np.uint64)
        values[:stored] = np.frombuffer(raw._dbfile.get(raw._basepos, stored * raw._fixedlen), ">" + raw._typecode)
        if field.bits == 64:
            return (values ^ np.uint64(1 << 63)).view(np.int64)
        return values.astype(np.int64) - (1 << field.bits - 1)
    if type(raw) is columns.VarBytesColumn.Reader and _plain_text(field):
        lengths = raw._lengths
        data = bytes(raw._dbfile.get(raw._basepos, sum(lengths)))
        ends = list(accumulate(lengths))
        return [data[a:b].decode("utf-8") for a, b in zip([0, *ends], ends)][:count]
    column = list(leaf.column_reader(name))
    if len(column) != count:
        column_reader = leaf.column_reader(name)
        column = [column_reader[docnum] for docnum in range(count)]
    return column


def _plain_integers(field):
    """True if ``field`` holds signed integers that Whoosh's own NUMERIC translation reads back."""
    return (type(field).from_column_value is fields.NUMERIC.from_column_value and field.numtype is int
            and field.signed and not field.decimal_places)


def _plain_text(field):
    """True if ``field``'s column values are UTF-8 text that Whoosh's default translation decodes."""
    return (type(field).from_column_value is fields.FieldType.from_column_value
            and type(field).from_bytes is fields.FieldType.from_bytes)

