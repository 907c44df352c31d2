"""The house rules of ``src/extract`` (docs/architecture.md), checked over the source with
``ast``: no import cycle between modules, imports go one way between the stages, no module
over 400 lines, at most 10 modules at the top, and every package says what it takes and gives."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from _paths import ROOT

SRC = ROOT / "src" / "extract"
MAX_LINES = 400
MAX_TOP_MODULES = 10
# A stage may import the stages after it in this list, never those before it. The top-level
# modules sit around the stages: cli and the package's own __init__ (the public names, loaded
# lazily) use them; settings, errors, enums, models and procs use no stage.
STAGES = ("harvest", "run", "output", "records", "layouts", "locate", "read", "values")
FOUNDATION = frozenset(
    {"extract.enums", "extract.errors", "extract.settings", "extract.models", "extract.procs"}
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of the package this one imports, at the top or inside a function."""
    is_package = path.name == "__init__.py"
    package = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt.endswith(".__init__") or nxt == "extract":
                continue  # a package's own docstring module; extract/__init__ imports lazily
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_no_import_cycle() -> None:
    assert _cycle(_graph()) is None, " → ".join(_cycle(_graph()) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycle(graph) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_imports_run_one_way_between_stages() -> None:
    wrong = []
    for module, targets in _graph().items():
        here = _stage(module)
        for target in targets:
            there = _stage(target)
            if module in FOUNDATION and there is not None:
                wrong.append(f"{module} (foundation) imports {target}")
            elif here and there and STAGES.index(there) < STAGES.index(here):
                wrong.append(f"{module} ({here}) imports {target} ({there})")
    assert not wrong, "\n".join(sorted(wrong))


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_over_the_limit(path: Path) -> None:
    assert len(path.read_text("utf-8").splitlines()) <= MAX_LINES


def test_few_modules_at_the_top() -> None:
    top = [p.name for p in SRC.glob("*.py")]
    assert len(top) <= MAX_TOP_MODULES, sorted(top)


@pytest.mark.parametrize("package", sorted(p.parent.name for p in SRC.glob("*/__init__.py")))
def test_every_package_says_what_it_takes_and_gives(package: str) -> None:
    doc = ast.get_docstring(ast.parse((SRC / package / "__init__.py").read_text("utf-8"))) or ""
    assert len(doc) > 80, f"{package}/__init__.py needs a docstring: what enters, what leaves"
    assert "import" in doc, f"{package}/__init__.py should say what it may import"
