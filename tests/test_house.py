"""The house rules that keep the code readable, checked on every run (docs/architecture.md):
imports point down the layering only, no module is over 450 lines and no function over 40."""
import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SKIPPED = {".venv", ".local", ".git", "node_modules", "migrations", "staticfiles", "artifacts"}
OURS = ("common", "grid", "platforms", "dispatch", "services", "planning", "analysis", "traffic", "command", "tests")

# What each package may import of ours (DESIGN §2, docs/architecture.md); arrows point down only.
MAY_IMPORT = {
    "common": set(),
    "grid": {"common"},
    "platforms": {"common", "grid"},
    "dispatch": {"common", "grid", "platforms"},
    "services": {"common", "grid", "platforms", "dispatch"},
    # planning.solver imports nothing of ours (tests/planning/solver/test_alone.py); the app may
    # read the city's rows
    "planning": {"common", "grid", "platforms", "dispatch"},
    # analysis reads every app below it (looking back over incidents, tracks, patrols, surveys)
    "analysis": {"common", "grid", "platforms", "dispatch", "services", "traffic"},
    # traffic work (accidents, congestion, enforcement, control points, live speeds) above dispatch
    "traffic": {"common", "grid", "platforms", "dispatch"},
    "command": {"common", "grid", "platforms", "dispatch", "services", "planning", "analysis", "traffic"},
}
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 40


def python_files():
    for path in sorted(BASE.rglob("*.py")):
        parts = path.relative_to(BASE).parts
        if not SKIPPED & set(parts) and parts[0] in OURS:
            yield path


def imported_packages(source: str, package: str) -> set[tuple[int, str]]:
    """(line, top-level package) of every import in the source, those inside functions included."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {(node.lineno, alias.name.split(".")[0]) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add((node.lineno, package if node.level else (node.module or "").split(".")[0]))
    return found


def upward_imports(source: str, package: str) -> list[str]:
    allowed = MAY_IMPORT[package] | {package}
    return [f"line {line}: {name}" for line, name in sorted(imported_packages(source, package))
            if name in MAY_IMPORT and name not in allowed]


def long_functions(source: str) -> list[str]:
    return [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]


def test_imports_point_down_the_layering_only():
    upward = {}
    for path in python_files():
        package = path.relative_to(BASE).parts[0]
        if package in MAY_IMPORT and (found := upward_imports(path.read_text(), package)):
            upward[str(path.relative_to(BASE))] = found
    assert upward == {}


def test_no_module_is_over_450_lines_and_no_function_over_40():
    long_modules = {str(p.relative_to(BASE)): n for p in python_files()
                    if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    long = {str(p.relative_to(BASE)): found for p in python_files() if (found := long_functions(p.read_text()))}
    assert (long_modules, long) == ({}, {})


def test_the_checks_see_what_they_are_for():
    """Guards the two tests above against passing because they found nothing."""
    source = "import command.urls\nfrom grid import travel\nfrom . import models\n\ndef f():\n    from dispatch.models import Incident\n"
    assert upward_imports(source, "platforms") == ["line 1: command", "line 6: dispatch"]
    assert upward_imports(source, "command") == []
    assert long_functions("def short():\n    pass\n" + "def long():\n" + "    x = 1\n" * 40) == ["long (41 lines)"]
    assert len(list(python_files())) > 100
    assert {p.relative_to(BASE).parts[0] for p in python_files()} == set(OURS)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_every_package_of_the_layering_exists(package):
    assert (BASE / package / "__init__.py").is_file()
