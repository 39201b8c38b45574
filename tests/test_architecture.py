"""The module map of docs/architecture.md holds: no import cycle, and each outlet imports only the core.

Imports are read from the source (every `import` statement, those inside functions
too, but not those under `if TYPE_CHECKING:`), so a cycle hidden in a lazy import
counts; and a fresh interpreter shows what importing an outlet really loads.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quizgen"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(path: Path) -> set[str]:
    """The quizgen modules a file imports (resolved: `from ..x import y` names `quizgen.x` or `quizgen.x.y`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("quizgen"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("quizgen"):
                continue
            for alias in node.names:  # `from . import bankcache` imports a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    found.discard(here)
    return found


MODULES = {module_name(p) for p in PACKAGE.rglob("*.py")}
GRAPH = {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}
FACADES = {"quizgen", "quizgen.__main__"}
"""`quizgen/__init__` re-exports the API lazily (PEP 562) and imports every module on demand:
it sits above the graph, not in it."""


def test_no_import_cycle() -> None:
    graph = {m: {t for t in targets if t in GRAPH and t not in FACADES} for m, targets in GRAPH.items()}
    graph = {m: t for m, t in graph.items() if m not in FACADES}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target] if target in trail else [node, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def reachable(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        module = todo.pop()
        for target in GRAPH.get(module, ()):
            if target not in seen and target not in FACADES:
                seen.add(target)
                todo.append(target)
    return seen


OUTLETS = [
    "quizgen.drill",
    "quizgen.worksheet",
    "quizgen.progress",
    *sorted(m for m in MODULES if m.startswith("quizgen.exporters")),
]


@pytest.mark.parametrize("outlet", OUTLETS)
def test_outlets_never_reach_the_loader(outlet: str) -> None:
    """Drill, worksheets and exporters consume a QuestionBank (bank.py); reading files is the loader's."""
    assert "quizgen.loader" not in reachable(outlet) | {outlet}
    assert "quizgen.bankcache" not in reachable(outlet)


def test_worksheets_never_load_the_progress_store() -> None:
    assert not {"quizgen.store", "quizgen.scheduler"} & reachable("quizgen.worksheet")


def test_the_core_imports_only_models_errors_and_the_generator_base() -> None:
    assert GRAPH["quizgen.bank"] <= {"quizgen.models", "quizgen.errors", "quizgen.generators.base"}
    assert GRAPH["quizgen.bankcache"] <= {"quizgen._version"}  # bytes and keys, no QuestionBank
    assert GRAPH["quizgen._version"] == set()


@pytest.mark.parametrize("outlet", ["quizgen.worksheet", "quizgen.drill", "quizgen.exporters.moodle"])
def test_what_an_outlet_loads_in_a_fresh_interpreter(outlet: str) -> None:
    code = f"import sys, {outlet}; print(' '.join(sorted(m for m in sys.modules if m.startswith('quizgen'))))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert outlet in loaded  # the probe works
    assert "quizgen.loader" not in loaded and "quizgen.bankcache" not in loaded
    if outlet == "quizgen.worksheet":
        assert "quizgen.store" not in loaded and "quizgen.scheduler" not in loaded


def test_the_graph_reader_sees_imports() -> None:
    """The test is not vacuous: known edges are found, lazy ones included."""
    assert "quizgen.bank" in GRAPH["quizgen.drill"]
    assert "quizgen.bankcache" in GRAPH["quizgen.loader"]  # imported inside a function
    assert "quizgen.store" in GRAPH["quizgen.scheduler"]


def test_the_architecture_page_names_every_module() -> None:
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    top_level = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    missing = [name for name in top_level if f"`{name}`" not in page]
    assert missing == [], f"docs/architecture.md does not describe {missing}"
    assert "`selection.py`" not in page  # gone: its contents live in bank.py
