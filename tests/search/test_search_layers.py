"""The search wing's imports point one way: no module imports back up, no two packages import each other.

Read from the source (imports made inside functions count too): the modules of
``articles/search`` form no import circle, neither do its packages (its own
folder, ``web/``, ``engines/``, ``engines/local/``, ``engines/local/whoosh/``,
``engines/local/``, ``engines/cluster/``), and the reader pages and the
import never import search: search plugs into them at start-up (articles/apps.py).
"""

import ast
from pathlib import Path

import articles
import articles.search

APP = Path(articles.__file__).parent
PACKAGE = Path(articles.search.__file__).parent


def _name(path):
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in PACKAGE.rglob("*.py")}


def _imported(path):
    """Names of the ``articles`` modules or packages ``path`` imports."""
    me = _name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[:len(package.split(".")) - node.level + 1], *filter(None, [base])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "articles"}


def _circle(graph):
    """One import circle of ``graph`` ({node: set of nodes}) as a list, or None."""
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, trail + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def _graph():
    return {name: {target for target in _imported(path) if target in MODULES and target != name}
            for name, path in MODULES.items()}


def _package(name):
    path = MODULES[name]
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def test_no_module_of_search_imports_back_up():
    graph = _graph()
    assert sum(map(len, graph.values())) > 50  # the check reads the imports at all
    assert _circle(graph) is None


def test_no_two_packages_of_search_import_each_other():
    packages = {}
    for name, targets in _graph().items():
        for target in targets:
            if _package(target) != _package(name) and MODULES[target].name != "__init__.py":
                packages.setdefault(_package(name), set()).add(_package(target))
    assert {"articles.search.web", "articles.search.engines.local"} <= set(packages)
    assert _circle(packages) is None


def test_reader_pages_and_the_import_never_import_search():
    for folder in ("browse", "importing", "parsing"):
        for path in (APP / folder).rglob("*.py"):
            assert not [n for n in _imported(path) if n.startswith("articles.search")], path


def test_the_check_finds_a_circle():
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": set()}) is None
