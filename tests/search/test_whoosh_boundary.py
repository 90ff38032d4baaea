"""Whoosh's internals are touched in articles/search/whoosh_blocks.py only.

That module checks the installed Whoosh version when it is imported, so
everything that depends on Whoosh's private fields, protected methods or
internal modules must live behind it. This reads the package's source: any
other module importing a Whoosh module outside its documented API, naming an
``_attribute`` Whoosh defines, or overriding a Whoosh ``_method`` fails here.
"""

import ast
import re
from pathlib import Path

import whoosh

import articles.search

PACKAGE = Path(articles.search.__file__).parent
BOUNDARY = PACKAGE / "whoosh_blocks.py"

# Whoosh's documented modules: schemas, analysis, formats, scoring, queries,
# opening an index, the writer's merge types and errors, file storage.
PUBLIC_MODULES = {
    "whoosh", "whoosh.fields", "whoosh.analysis", "whoosh.formats", "whoosh.scoring", "whoosh.query",
    "whoosh.index", "whoosh.writing", "whoosh.filedb.filestore", "whoosh.qparser", "whoosh.searching",
}


def _whoosh_private_names():
    """Every single-underscore name Whoosh's own source defines or reads on an object."""
    names = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        names.update(re.findall(r"\.(_[A-Za-z][A-Za-z0-9_]*)\b", path.read_text(encoding="utf-8")))
        names.update(re.findall(r"def (_[A-Za-z][A-Za-z0-9_]*)\(", path.read_text(encoding="utf-8")))
    return {name for name in names if not name.endswith("__")}


WHOOSH_PRIVATE = _whoosh_private_names()


def _modules():
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path != BOUNDARY]


def _whoosh_bases(tree):
    """Names of this module's classes that extend a class imported from Whoosh (or are mixed into one)."""
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module.startswith("whoosh") or node.module.endswith("whoosh_blocks")):
            imported.update(alias.asname or alias.name for alias in node.names)
    extending = set()
    changed = True
    while changed:
        changed = False
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name not in extending:
                for base in node.bases:
                    name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
                    root = base.value.id if isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) else None
                    if name in imported or name in extending or root in imported:
                        extending.add(node.name)
                        changed = True
    # A mixin combined with a Whoosh class ends up in its MRO as well.
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in extending:
            extending.update(base.id for base in node.bases if isinstance(base, ast.Name))
    return extending


def _own_names(tree):
    """The ``_names`` this module's own classes define (methods, attributes set on self)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in ast.walk(node):
                if isinstance(item, ast.FunctionDef):
                    names.add(item.name)
                elif isinstance(item, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                    for target in getattr(item, "targets", [getattr(item, "target", None)]):
                        if isinstance(target, ast.Attribute):
                            names.add(target.attr)
    return names


def _violations(path, root=PACKAGE.parent.parent):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    where = path.relative_to(root)
    own = _own_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith("whoosh"):
            if node.module not in PUBLIC_MODULES:
                found.append(f"{where}:{node.lineno} imports Whoosh's internal module {node.module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("whoosh") and alias.name not in PUBLIC_MODULES:
                    found.append(f"{where}:{node.lineno} imports Whoosh's internal module {alias.name}")
        elif isinstance(node, ast.Attribute) and node.attr in WHOOSH_PRIVATE:
            receiver = node.value.id if isinstance(node.value, ast.Name) else None
            # self._name of a name this module defines is ours (a mixin's too);
            # Whoosh subclasses are checked below.
            if receiver != "self" or node.attr not in own:
                found.append(f"{where}:{node.lineno} reads .{node.attr}, a name private to Whoosh")
    # On a Whoosh subclass even a name set here may be Whoosh's own.
    for cls in ast.walk(tree):
        if isinstance(cls, ast.ClassDef) and cls.name in _whoosh_bases(tree):
            for node in ast.walk(cls):
                if isinstance(node, ast.Attribute) and node.attr in WHOOSH_PRIVATE and node.attr in own:
                    found.append(f"{where}:{node.lineno} {cls.name} uses .{node.attr}, a name private to Whoosh")
                elif isinstance(node, ast.FunctionDef) and node.name in WHOOSH_PRIVATE:
                    found.append(f"{where}:{node.lineno} {cls.name} overrides Whoosh's {node.name}")
    return found


def test_whoosh_internals_are_touched_in_whoosh_blocks_only():
    modules = _modules()
    assert any(path.name == "writer.py" for path in modules)
    found = [violation for path in modules for violation in _violations(path)]
    assert found == []


def test_the_check_sees_private_access(tmp_path):
    # The check itself: the shapes writer.py and codec.py used to have are caught.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from whoosh.codec import whoosh3\n"
        "from whoosh.writing import SegmentWriter\n"
        "class W(SegmentWriter):\n"
        "    def _flush_segment(self):\n"
        "        self._check_state()\n"
        "def f(writer):\n"
        "    return writer._finalize_segment()\n",
        encoding="utf-8",
    )
    found = _violations(sample, root=tmp_path)
    assert len(found) == 4, found
    assert "internal module whoosh.codec" in found[0]
