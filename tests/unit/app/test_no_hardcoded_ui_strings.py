"""UI text comes from the catalogues: no Chinese literals and no literal labels in the client code.

Scans app/, views/, accessibility/ and main.py with the AST (so comments never count).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests import paths

REPO_ROOT = paths.REPO_ROOT
CLIENT_DIRS = ("app", "views", "accessibility")
# Ideographs make a string UI text; CJK punctuation alone (sentence splitters) does not.
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A line that holds Chinese on purpose but shows it to nobody (a voice probe) says so.
NOT_UI_MARKER = "# not UI text"

# callee name -> (positional index, keyword name) of its user-visible text
TEXT_ARGUMENT = {
    "Text": (0, "value"),
    "heading": (0, "text"),
    "body_text": (0, "text"),
    "action_button": (0, "label"),
    "screen_view": (2, "title"),
}


def client_files() -> list[Path]:
    files = [path for d in CLIENT_DIRS for path in sorted((REPO_ROOT / d).rglob("*.py"))]
    return [*files, REPO_ROOT / "main.py"]


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings of a module, class or function."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.add(id(body[0].value))
    return found


def language_names_nodes(tree: ast.AST) -> set[int]:
    """ids of every node inside the value of ``LANGUAGES = {...}`` (names in their own script)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "LANGUAGES" for t in targets):
            found.update(id(n) for n in ast.walk(value))
    return found


def cjk_literals(
    tree: ast.AST, allowed: frozenset[int] | set[int] = frozenset()
) -> list[tuple[int, str]]:
    skip = docstring_nodes(tree) | allowed
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and CJK.search(node.value)
    )


def callee_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def has_words(text: str) -> bool:
    """Language a reader must understand; punctuation, digits and spaces (``f"{n}. {x}"``) are not."""
    return any(char.isalpha() for char in text)


def literal_text(node: ast.expr) -> str | None:
    """The literal words an expression shows, looking through ``a if c else b``, ``or`` and ``+``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if has_words(node.value) else None
    if isinstance(node, ast.JoinedStr):
        parts = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        return parts if has_words(parts) else None
    if isinstance(node, ast.IfExp):
        return literal_text(node.body) or literal_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return next((t for t in map(literal_text, node.values) if t), None)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return literal_text(node.left) or literal_text(node.right)
    return None


def literal_ui_text(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, callee, text) for every UI call whose visible text is written in the code."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = callee_name(node)
        if name not in TEXT_ARGUMENT:
            continue
        index, keyword = TEXT_ARGUMENT[name]
        candidates = [node.args[index]] if len(node.args) > index else []
        candidates += [kw.value for kw in node.keywords if kw.arg == keyword]
        for argument in candidates:
            text = literal_text(argument)
            if text is not None:
                found.append((argument.lineno, name, text))
    return sorted(found)


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(REPO_ROOT)}:{line}"


# --- the scanners themselves ------------------------------------------------------------------


def test_cjk_scan_skips_docstrings_and_comments_but_not_other_strings():
    tree = ast.parse(
        '"""模块说明"""\n'
        "# 注释\n"
        "def f():\n"
        '    """函数说明"""\n'
        '    return "你好"\n'
        "class C:\n"
        '    """类说明"""\n'
        '    label = "确定"\n'
        "x = f'{1}件'\n"
        'y = "，。"\n'
        'z = "plain"\n'
    )
    # Line 10 is punctuation only (a sentence splitter), not UI text.
    assert [line for line, _text in cjk_literals(tree)] == [5, 8, 9]


def test_language_names_are_the_only_allowed_cjk_outside_docstrings():
    tree = ast.parse('LANGUAGES = {"zh_CN": "简体中文"}\nOTHER = {"zh_CN": "中文"}\n')
    assert [line for line, _t in cjk_literals(tree, language_names_nodes(tree))] == [2]


def test_literal_ui_text_scan_catches_literals_and_accepts_translated_text():
    tree = ast.parse(
        'ft.Text("Hello")\n'
        "Text(_('Hello'))\n"
        'heading(f"Step {n}")\n'
        "body_text(f'{n}. {item}')\n"
        'action_button("OK", "ok", go)\n'
        "action_button(_('OK'), 'ok', go)\n"
        'screen_view(path, "screen-x", "Title", [])\n'
        "screen_view(path, 'screen-x', _(route.title), [])\n"
        'body_text(text="Words")\n'
        'ft.Text(value="a" if x else _("b"))\n'
        "body_text(service.name)\n"
        'ft.Text("")\n'
    )
    assert [line for line, _name, _text in literal_ui_text(tree)] == [1, 3, 5, 7, 9, 10]


# --- the client code --------------------------------------------------------------------------


def test_client_code_is_scanned():
    names = {str(p.relative_to(REPO_ROOT)) for p in client_files()}
    assert {"main.py", "app/i18n.py", "views/home/screen.py", "accessibility/semantics.py"} <= names


def test_no_chinese_string_literals_in_client_code():
    violations = []
    for path in client_files():
        tree = parse(path)
        allowed = language_names_nodes(tree) if path == REPO_ROOT / "app" / "i18n.py" else set()
        lines = path.read_text(encoding="utf-8").splitlines()
        violations += [
            f"{where(path, line)}: {text!r}"
            for line, text in cjk_literals(tree, allowed)
            if NOT_UI_MARKER not in lines[line - 1]
        ]
    assert not violations, (
        "Chinese text belongs in assets/locales/zh_CN (English msgid in code, via _()):\n"
        + "\n".join(violations)
    )


def test_no_literal_text_in_ui_calls():
    violations = [
        f"{where(path, line)}: {name}({text!r})"
        for path in client_files()
        for line, name, text in literal_ui_text(parse(path))
    ]
    assert not violations, (
        "UI text must come from _(), catalogue data or variables, not literals:\n"
        + "\n".join(violations)
    )
