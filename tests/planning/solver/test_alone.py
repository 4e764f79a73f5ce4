"""The solver stands on its own: it imports the standard library, numpy and scipy, and nothing of
the project or of Django (tests/test_house.py holds the planning app to the layering)."""
import ast
import sys
from pathlib import Path

import planning.solver

SOLVER = Path(planning.solver.__file__).parent


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level if node.level else node.module.split(".")[0])  # "..": out of the package
    return found


def test_the_solver_imports_only_the_standard_library_numpy_scipy_and_itself():
    allowed = set(sys.stdlib_module_names) | {"numpy", "scipy", "."}
    found = {path.name: sorted(imports(path) - allowed) for path in sorted(SOLVER.glob("*.py"))}
    assert {name: names for name, names in found.items() if names} == {}
    assert len(found) >= 8


def test_the_check_sees_what_it_is_for(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("import django.conf\nfrom grid import travel\nfrom .. import planning\nfrom . import core\n")
    assert imports(source) == {"django", "grid", "..", "."}
