"""The one bilingual table: every text in both languages with the same fields, every key the code
names in it (in `i18n.text(...)`, `message(...)` and the formats' `L(...)`), and no Chinese text
anywhere else in the checker's code."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.base import (
    i18n,
    i18n_engine,
    i18n_input,
    i18n_lsp,
    i18n_migrate,
    i18n_reading,
    i18n_report,
    i18n_rules,
    i18n_usage,
)

CHECKER = Path(i18n.__file__).resolve().parents[1]
# The modules that hold the table's texts (i18n.py reads them all).
TABLE_MODULES = {
    Path("base/i18n.py"),
    Path("base/i18n_input.py"),
    Path("base/i18n_reading.py"),
    Path("base/i18n_report.py"),
    Path("base/i18n_lsp.py"),
    Path("base/i18n_engine.py"),
    Path("base/i18n_migrate.py"),
    Path("base/i18n_rules.py"),
    Path("base/i18n_usage.py"),
    Path("base/i18n_help.py"),
}

# Keys whose English text is empty on purpose.
EMPTY_IN_ENGLISH = {
    "quoted_in_english",  # a Chinese report notes that a quote is English; an English one need not
}

# Packages whose modules may hold CJK ideographs in string literals, and why.
CJK_ALLOWED = {
    # The dossier model's docstrings and field descriptions name the CDE's Chinese terms beside the
    # English ones: they are the dossier schema's documentation (`cgt-check schema`), one text for
    # readers of either language, not a choice between two.
    Path("model"),
}


def _is_cjk(ch: str) -> bool:
    return 0x4E00 <= ord(ch) <= 0x9FFF


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for file in sorted(CHECKER.rglob("*.py")):
        yield file.relative_to(CHECKER), ast.parse(file.read_text(encoding="utf-8"), str(file))


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(i18n.TABLE))
def test_every_key_reads_in_both_languages(key: str) -> None:
    en, zh = i18n.TABLE[key]
    assert zh.strip(), f"{key}: no Chinese text"
    assert en.strip() or key in EMPTY_IN_ENGLISH, f"{key}: no English text"
    assert not any(_is_cjk(ch) for ch in en), f"{key}: Chinese in the English text"


@pytest.mark.parametrize("key", sorted(i18n.TABLE))
def test_both_languages_have_the_same_fields(key: str) -> None:
    en, zh = i18n.TABLE[key]
    assert _names(en) == _names(zh), key
    assert all(name.isidentifier() for name in _names(en)), f"{key}: fields are named, not numbered"
    assert i18n.fields(key) == _names(en)


def test_only_the_listed_keys_are_empty_in_english() -> None:
    assert {key for key, (en, _) in i18n.TABLE.items() if not en} == EMPTY_IN_ENGLISH


def test_text_fills_fields_and_reads_unknown_keys_as_themselves() -> None:
    assert i18n.text("waived", "en") == "waived"
    assert i18n.text("waived", "zh") == "已豁免"
    assert i18n.text("matrix_failed", "zh", ids="a, b") == "未通过的规则：a, b"
    assert i18n.text("unit_year_other", "en", n=15) == "15 years"
    assert i18n.text("custom-modality", "zh") == "custom-modality"
    assert i18n.text("{not a field}", "en", n=1) == "{not a field}"
    assert i18n.fields("custom-modality") == frozenset()
    assert i18n.LANGS == ("en", "zh")


@pytest.mark.parametrize("module", sorted(TABLE_MODULES))
def test_the_table_modules_import_only_the_base_layer(module: Path) -> None:
    tree = ast.parse((CHECKER / module).read_text(encoding="utf-8"))
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [n for n in imported if n.split(".")[0] == "checker" and not n.startswith("checker.base.")]


def test_no_key_is_in_two_of_the_table_modules() -> None:
    parts = [
        set(i18n_input.INPUT),
        set(i18n_reading.READING),
        set(i18n_report.REPORT),
        set(i18n_lsp.LSP),
        set(i18n_engine.ENGINE),
        set(i18n_migrate.MIGRATE),
        set(i18n_rules.RULES),
        set(i18n_usage.USAGE),
    ]
    own = set(i18n.TABLE) - set().union(*parts)
    assert len(own) + sum(map(len, parts)) == len(i18n.TABLE)
    assert all(not a & b for i, a in enumerate(parts) for b in parts[i + 1 :])


def test_a_message_is_written_in_either_language_with_its_fields() -> None:
    inner = i18n.message("did_you_mean", name="car-t")
    said = i18n.message("unknown_key_bare", key="modalty", hint=inner)
    assert said.text() == "unknown key 'modalty' (did you mean 'car-t'?)"
    assert said.text("zh") == "未知字段 'modalty'（是否应为 'car-t'？）"
    assert i18n.verbatim("No such file").text("zh") == "No such file"
    assert said == i18n.message(
        "unknown_key_bare", key="modalty", hint=i18n.message("did_you_mean", name="car-t")
    )


def test_no_chinese_text_outside_the_table() -> None:
    found = []
    for rel, tree in _modules():
        if rel in TABLE_MODULES or rel.parent in CJK_ALLOWED:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if any(_is_cjk(ch) for ch in node.value):
                found.append(f"checker/{rel.as_posix()}:{node.lineno}: {node.value[:40]!r}")
    assert not found, "bilingual text belongs in checker/base/i18n.py:\n" + "\n".join(found)


def _uses() -> Iterator[tuple[str, str, set[str] | None]]:
    """(where, key, fields passed or None when unknown) for every literal key the code reads:
    `i18n.text("key", lang, ...)`, `message("key", ...)` (or `i18n.message`) and the `L("key")`
    shorthand the formats define."""
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first, func = node.args[0], node.func
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            where = f"checker/{rel.as_posix()}:{node.lineno}"
            called = ast.unparse(func)
            if called in ("i18n.text", "message", "i18n.message"):
                passed = {k.arg for k in node.keywords if k.arg is not None}
                spread = any(k.arg is None for k in node.keywords)
                yield where, first.value, None if spread else passed
            elif isinstance(func, ast.Name) and func.id == "L":
                yield where, first.value, set()


def test_every_key_the_code_reads_is_in_the_table_with_its_fields() -> None:
    uses = list(_uses())
    assert len(uses) > 50  # the scan finds the formats' labels
    for where, key, passed in uses:
        assert key in i18n.TABLE, f"{where}: no key {key!r} in the table"
        if passed is not None:
            assert passed == i18n.fields(key), f"{where}: {key!r} has the fields {sorted(i18n.fields(key))}"


def test_every_label_a_template_reads_is_in_the_table() -> None:
    templates = sorted(CHECKER.rglob("*.html.j2"))
    assert templates
    for template in templates:
        source = template.read_text(encoding="utf-8")
        keys = set(re.findall(r"\bL\.(\w+)", source)) | set(re.findall(r"\bL\[['\"]([^'\"]+)['\"]\]", source))
        assert keys
        for key in keys:
            assert key in i18n.TABLE and not i18n.fields(key), f"{template.name}: L.{key}"
