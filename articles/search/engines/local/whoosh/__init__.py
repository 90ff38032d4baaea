"""Everything that knows Whoosh's file formats and internals, in one folder, split by job.

- ``storage``: the index directory read with ``pread`` (searchers and writers alike);
- ``postings``: posting lists read a block at a time, and the block layout we write;
- ``columns``: a segment's sortable columns read whole;
- ``writing``: Whoosh's segment writers driven step by step, term infos written in bulk;
- ``codec`` and ``formats``: the codec and posting formats our writer writes with.

Whoosh's public matcher API advances one posting at a time through several
layers of Python calls; reading a posting list a block at a time, and a
segment's column directly, is what makes a query fast. Those reads use
attributes Whoosh does not promise to keep, so they live here and nowhere
else (``tests/search/test_whoosh_boundary.py`` checks), and the installed
version is checked when this package is imported.

Supported: Whoosh 2.7 (2.7.4 is its final release and the pinned one).

Classes of ours that Whoosh pickles into an index (the schema's formats and
analyzers and the codec into its table of contents, packed values into
posting blocks) are pickled by a code registered here with ``copyreg``, not
by module path: the modules can move without breaking an index already
written, as long as the code keeps pointing at the class (``PICKLED``).
"""

import copyreg

import whoosh

SUPPORTED = (2, 7)

if tuple(whoosh.__version__[:2]) != SUPPORTED:
    raise ImportError(
        f"articles.search reads Whoosh {SUPPORTED[0]}.{SUPPORTED[1]}'s posting blocks directly; "
        f"Whoosh {whoosh.versionstring()} is installed. Install the version pinned in requirements.txt."
    )

# Stable pickle codes (copyreg's extension registry; 240-255 are for
# applications) -> where the class lives now. Never reuse or renumber a
# code: indexes on disk name their classes by it.
PICKLED = {
    0xF0: ("articles.search.engines.local.whoosh.codec", "PhCodec"),
    0xF1: ("articles.search.engines.local.whoosh.postings", "PackedValues"),
    0xF2: ("articles.search.engines.local.whoosh.formats", "BigramPositions"),
    0xF3: ("articles.search.engines.local.whoosh.formats", "UnigramFrequency"),
    0xF4: ("articles.search.engines.local.analysis", "BigramTokenizer"),
    0xF5: ("articles.search.engines.local.analysis", "UnigramTokenizer"),
    0xF6: ("articles.search.engines.local.analysis", "JiebaWordTokenizer"),
    0xF7: ("articles.search.engines.local.analysis", "FoldFilter"),
}

for _code, (_module, _name) in PICKLED.items():
    copyreg.add_extension(_module, _name, _code)
