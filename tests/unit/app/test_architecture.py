"""The layers of DESIGN.md §2 hold: import-linter contracts, ruff, and services/ free of flet."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests import paths

REPO_ROOT = paths.REPO_ROOT
# Not resolved: the venv's bin/python is a symlink and the tools live next to it.
VENV_BIN = Path(sys.executable).parent
FLET_PACKAGES = ("flet", "flet_web", "flet_desktop")


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    executable = VENV_BIN / command[0]
    assert executable.exists(), f"{command[0]} is not installed next to {sys.executable}"
    return subprocess.run(
        [str(executable), *command[1:]],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def report(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"


def test_import_linter_contracts_are_kept():
    result = run_tool("lint-imports", "--no-cache", "--no-logo")
    assert result.returncode == 0, report(result)


def test_ruff_finds_no_lint_errors():
    result = run_tool("ruff", "check", ".")
    assert result.returncode == 0, report(result)


def test_ruff_format_leaves_every_file_unchanged():
    result = run_tool("ruff", "format", "--check", ".")
    assert result.returncode == 0, report(result)


def flet_imports(source: str, filename: str = "<string>") -> list[tuple[int, str]]:
    """(line, imported module) for every import of a flet package in the source."""

    def is_flet(module: str) -> bool:
        return module.split(".", 1)[0] in FLET_PACKAGES

    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if is_flet(alias.name)]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and is_flet(node.module)
        ):
            found.append((node.lineno, node.module))
    return sorted(found)


def test_flet_import_detector_catches_every_import_form():
    source = (
        "import flet\n"
        "import flet as ft\n"
        "import os, flet.canvas\n"
        "from flet import Text\n"
        "from flet.controls import Column\n"
        "def later():\n"
        "    import flet_web\n"
        "import fletcher\n"
        "from .flet import x\n"
    )
    assert [line for line, _module in flet_imports(source)] == [1, 2, 3, 4, 5, 7]


def test_no_module_under_services_imports_flet():
    files = sorted((REPO_ROOT / "services").rglob("*.py"))
    assert files, "services/ has no Python files"
    violations = [
        f"{path.relative_to(REPO_ROOT)}:{line}: imports {module}"
        for path in files
        for line, module in flet_imports(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not violations, "services/ must not import flet (DESIGN.md §2):\n" + "\n".join(
        violations
    )
