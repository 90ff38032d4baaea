"""Whoosh is known in one place: the local engine's ``whoosh/`` folder for its internals, the engine for the rest.

That folder's package checks the installed Whoosh version when it is
imported, so everything that depends on Whoosh's private fields, protected
methods, internal modules or file formats must live in it. This reads the
source: outside the local engine nothing imports Whoosh at all; outside the
folder no module imports a Whoosh module beyond its documented API, names an
``_attribute`` Whoosh defines, or overrides a Whoosh ``_method``; and nowhere,
the folder included, is an attribute of a Whoosh module or class assigned
(no patching Whoosh for the whole process).
"""

import ast
import re
from pathlib import Path

import whoosh

import articles.search

PACKAGE = Path(articles.search.__file__).parent
LOCAL_ENGINE = PACKAGE / "engines" / "local"
BOUNDARY = LOCAL_ENGINE / "whoosh"
PROJECT = PACKAGE.parent.parent

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
    """The search package's modules outside the boundary folder."""
    return [path for path in sorted(PACKAGE.rglob("*.py")) if BOUNDARY not in path.parents]


def _app_modules():
    """Every module of the application (not its tests or benchmarks)."""
    roots = [PROJECT / "articles", PROJECT / "phnews", PROJECT / "bin"]
    return sorted(path for root in roots for path in root.rglob("*.py"))


def _whoosh_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "whoosh":
            found.append(f"{path.relative_to(PROJECT)}:{node.lineno} imports {node.module}")
        elif isinstance(node, ast.Import):
            found += [f"{path.relative_to(PROJECT)}:{node.lineno} imports {alias.name}"
                      for alias in node.names if alias.name.split(".")[0] == "whoosh"]
    return found


def _patches(path, root=PROJECT):
    """Assignments to an attribute of something imported from Whoosh (a module or a class)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "whoosh":
            imported.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            imported.update((alias.asname or alias.name).split(".")[0] for alias in node.names
                            if alias.name.split(".")[0] == "whoosh")
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = getattr(node, "targets", None) or [node.target]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr" and node.args:
            targets = [ast.Attribute(value=node.args[0], attr="?")]
        for target in targets:
            base = target
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(target, ast.Attribute) and isinstance(base, ast.Name) and base.id in imported:
                found.append(f"{path.relative_to(root)}:{node.lineno} patches {base.id}")
    return found


def _whoosh_bases(tree):
    """Names of this module's classes that extend a class imported from Whoosh (or are mixed into one)."""
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module.startswith("whoosh") or ".whoosh." in node.module):
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


def test_whoosh_internals_are_touched_in_the_whoosh_folder_only():
    modules = _modules()
    assert any(path.name == "writer.py" for path in modules)
    found = [violation for path in modules for violation in _violations(path)]
    assert found == []


def test_only_the_local_engine_imports_whoosh():
    outside = [path for path in _app_modules() if LOCAL_ENGINE not in path.parents]
    assert any(path.name == "service.py" for path in outside)
    assert [found for path in outside for found in _whoosh_imports(path)] == []


def test_nothing_patches_whoosh():
    assert [found for path in _app_modules() for found in _patches(path)] == []


def test_the_check_sees_a_patch(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from whoosh.filedb import compound\nimport whoosh.index\n"
                      "compound.BufferFile = object\nwhoosh.index.TOC = None\nsetattr(compound, 'x', 1)\n",
                      encoding="utf-8")
    assert len(_patches(sample, root=tmp_path)) == 3


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
