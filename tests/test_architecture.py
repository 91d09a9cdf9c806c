"""The rules of the house, read from the source: imports point down, Whoosh's private parts stay in one module,
the environment is read in one module, and the README's settings table is the settings table."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from indexer import settings

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("indexer", "search_app")

# Layers, lowest first: a module may import from its own layer's package or from lower layers only.
LAYERS = [
    ("indexer.settings", "indexer.files", "indexer.corpus"),
    ("indexer.extract", "indexer.analysis", "indexer.accounts", "indexer.saved_searches", "indexer.derive",
     "indexer.sessions"),
    ("indexer.index",),
    ("indexer.search",),
    ("indexer.alerts",),
    ("indexer.cli",),
    ("search_app",),
]
WHOOSH_INTERNALS = "indexer.index.internals"  # the one module allowed to touch private Whoosh names
ENVIRONMENT_READER = "indexer.settings"       # the one module allowed to read os.environ


def modules() -> dict[str, ast.Module]:
    """Every module of the project, by dotted name, parsed."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return found


MODULES = modules()


def component(module: str) -> str:
    """Return the layer entry a module belongs to (e.g. indexer.index for indexer.index.store)."""
    for layer in LAYERS:
        for name in layer:
            if module == name or module.startswith(name + "."):
                return name
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def rank(module: str) -> int:
    name = component(module)
    return next(i for i, layer in enumerate(LAYERS) if name in layer)


def imports(module: str, tree: ast.Module, *, top_level_only: bool):
    """Yield (line, imported module, inside a function) for every import of a project module."""
    is_package = (ROOT / module.replace(".", "/") / "__init__.py").is_file()
    base = module.split(".") if is_package else module.split(".")[:-1]
    body = tree.body if top_level_only else list(ast.walk(tree))
    nested = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
              for n in ast.walk(f) if n is not f}
    for node in body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            prefix = base[:len(base) - node.level + 1] if node.level else []
            target = ".".join(prefix + ([node.module] if node.module else []))
            submodules = [f"{target}.{alias.name}" for alias in node.names
                          if (ROOT / f"{target}.{alias.name}".replace(".", "/")).exists()
                          or (ROOT / (f"{target}.{alias.name}".replace(".", "/") + ".py")).exists()]
            # "from .. import settings" imports the module indexer.settings, not the package indexer.
            names = submodules if len(submodules) == len(node.names) else [target] + submodules
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                yield node.lineno, name, id(node) in nested


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module):
    wrong = [(line, target) for line, target, _ in imports(module, MODULES[module], top_level_only=False)
             if component(target) != component(module) and rank(target) >= rank(module)]
    assert not wrong, f"{module} imports upwards or sideways: {wrong} (layers: {LAYERS})"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_lazy_imports_of_project_modules(module):
    # An import inside a function is how a cycle gets hidden; the layers make such imports unnecessary.
    lazy = [(line, target) for line, target, inside in imports(module, MODULES[module], top_level_only=False)
            if inside]
    assert not lazy, f"{module} imports project modules inside functions: {lazy}"


def test_no_import_cycles():
    graph = {m: {t for _, t, _ in imports(m, tree, top_level_only=True) if t in MODULES and t != m}
             for m, tree in MODULES.items()}
    # A package's __init__ re-exports its modules: an edge into a package is an edge into what it imports.
    seen, path, cycles = set(), [], []

    def visit(node):
        if node in path:
            cycles.append(path[path.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        path.append(node)
        for target in sorted(graph[node]):
            if not (target in node.split(".") or node.startswith(target + ".")):  # a module importing its package
                visit(target)
        path.pop()

    for module in sorted(graph):
        visit(module)
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("indexer")))
def test_indexer_never_imports_flask(module):
    names = {alias.name for node in ast.walk(MODULES[module]) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module or "" for node in ast.walk(MODULES[module]) if isinstance(node, ast.ImportFrom)}
    assert not {n for n in names if n.split(".")[0] in ("flask", "werkzeug", "search_app")}


def private_uses(tree: ast.Module) -> list[tuple[int, str]]:
    """Return (line, text) of every private name used on something other than self/cls, or imported."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append((node.lineno, f"{ast.unparse(owner)}.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found += [(node.lineno, f"from {node.module} import {a.name}") for a in node.names if _private(a.name)]
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != WHOOSH_INTERNALS))
def test_only_the_internals_module_touches_private_names(module):
    # Anything `_underscored` reached on another object is Whoosh's (or another module's) private part.
    uses = private_uses(MODULES[module])
    assert not uses, f"{module} uses private names; move this into {WHOOSH_INTERNALS}: {uses}"


def test_the_internals_module_does_touch_them_and_checks_the_version():
    source = (ROOT / "indexer" / "index" / "internals.py").read_text(encoding="utf-8")
    assert private_uses(MODULES[WHOOSH_INTERNALS])  # else this rule guards nothing
    assert "WRITTEN_FOR" in source and "whoosh.__version__" in source


def test_whoosh_is_pinned_below_the_next_release():
    assert re.search(r"whoosh-reloaded>=2\.7\.5,<2\.8", (ROOT / "setup.cfg").read_text(encoding="utf-8"))


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != ENVIRONMENT_READER))
def test_only_the_settings_module_reads_the_environment(module):
    tree = MODULES[module]
    reads = [node.lineno for node in ast.walk(tree)
             if (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"))
             or (isinstance(node, ast.ImportFrom) and node.module == "os"
                 and any(a.name in ("environ", "getenv") for a in node.names))]
    assert not reads, f"{module} reads the environment at lines {reads}; use indexer.settings"


def test_readme_settings_table_is_the_settings_table():
    # Regenerate with: python -m indexer.settings
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings.markdown_table() in readme


def test_cli_help_lists_every_setting(runner):
    from indexer.cli import main
    text = runner.invoke(main, ["--help"]).output
    for s in settings.SETTINGS:
        if not s.key.startswith("TEST_"):
            assert s.env in text and s.help.replace("`", "")[:30] in " ".join(text.split())


def test_app_config_has_every_setting(tmp_path):
    from search_app import create_app
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)})
    assert {s.key for s in settings.SETTINGS} <= set(app.config)
    assert app.config["INDEX_DIR"] == str(tmp_path)  # the test mapping wins over the environment


def test_modules_are_small_with_one_job():
    sizes = {m: len((ROOT / (m.replace(".", "/") + ".py")).read_text().splitlines())
             for m in MODULES if (ROOT / (m.replace(".", "/") + ".py")).is_file()}
    assert max(sizes.values()) <= 320, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    for module, tree in MODULES.items():
        assert ast.get_docstring(tree), f"{module} has no docstring saying what it holds"
