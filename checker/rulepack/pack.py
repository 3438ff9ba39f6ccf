"""Load rule packs: the requirement catalogue and the rule files, validated and compiled."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.base import limits, resources
from checker.base.errors import InputError, NodePath, Problem, RuleError, os_reason, shown, suggestion
from checker.base.i18n import Message, message, verbatim
from checker.base.literals import Severity
from checker.engine.program import Program
from checker.load.problems import given_value, validation_problems
from checker.load.yamlio import Located, load_yaml, read_limited
from checker.rulepack.compiler import CompiledRule, CompileError, compile_rule
from checker.rulepack.link import link
from checker.rulepack.spec import Rule, RuleFile, RuleTemplate, Text

CATALOGUE_FILE = "requirements.yaml"
# JSON Schema types and the key that says a value is not one.
_SCHEMA_TYPES = {
    "boolean": "expected_bool",
    "string": "expected_text",
    "integer": "expected_integer",
    "number": "expected_number",
    "object": "expected_mapping_plain",
}
# JSON Schema bounds on a number and on a length, and the key that says a value breaks one.
_SCHEMA_BOUNDS = {
    "minimum": "greater_than_equal",
    "maximum": "less_than_equal",
    "exclusiveMinimum": "greater_than",
    "exclusiveMaximum": "less_than",
}
_SCHEMA_LENGTHS = {
    "minLength": "text_too_short",
    "maxLength": "text_too_long",
    "minItems": "list_too_short",
    "maxItems": "list_too_long",
}
MAX_PACK_BYTES = limits.MAX_RULE_FILE_BYTES


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Base):
    title: str
    reference: str | None = None


class Requirement(_Base):
    id: str = Field(pattern=r"^CGT-[A-Z0-9-]+$")
    section: str
    severity: Severity
    source: list[str]
    title: Text
    text: str
    text_zh: str | None = Field(None, description="The requirement's statement in Chinese.")
    not_applicable: Text | None = Field(
        None,
        description="Why it does not apply when none of its rules does: the deciding fact, as a clause "
        "(e.g. 'no pivotal trial is single-arm').",
    )
    checks: Text | None = Field(
        None, description="What its rules check, as a clause, for a requirement that passed."
    )

    def statement(self, lang: str) -> str:
        """The requirement's statement in lang (Chinese falls back to English), on one line."""
        return " ".join((self.text_zh if lang == "zh" and self.text_zh else self.text).split())


class PackInfo(_Base):
    name: str
    version: str


class Catalogue(_Base):
    pack: PackInfo
    sources: dict[str, Source]
    requirements: list[Requirement]


@dataclass(frozen=True)
class LoadedRule:
    compiled: CompiledRule
    file: str
    line: int
    column: int = 1

    @property
    def rule(self) -> Rule:
        return self.compiled.rule


@dataclass(frozen=True)
class RulePack:
    name: str
    version: str
    sha256: str
    sources: dict[str, Source]
    requirements: dict[str, Requirement]  # in catalogue order
    rules: dict[str, LoadedRule]  # by rule id, in load order
    program: Program
    partial: frozenset[str] = frozenset()  # requirements some of whose rules a selection left out

    def rules_for(self, requirement: str) -> list[LoadedRule]:
        return [r for r in self.rules.values() if r.rule.requirement == requirement]


def _problem(file: str, located: Located, path: NodePath, said: Message) -> Problem:
    m = located.mark_for(path)
    return Problem(file, m.line, m.column, said, located.label(path))


@cache
def rule_file_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((resources.schemas_dir() / "rule.schema.json").read_text("utf-8"))
    return schema


def _schema_problems(file: str, located: Located, data: Any) -> list[Problem]:
    import jsonschema  # only when a rule file is loaded, not on a cached run

    validator = jsonschema.Draft202012Validator(rule_file_schema())
    out = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = list(err.schema.get("properties", {}))
            extra = [k for k in err.instance if k not in allowed]
            for k in extra:
                m = located.key_marks.get((*path, k)) or located.mark_for(path)
                said = message(
                    "unknown_key", key=str(k), hint=suggestion(str(k), allowed), keys=", ".join(allowed)
                )
                out.append(Problem(file, m.line, m.column, said, located.label(path)))
            continue
        out.append(_problem(file, located, path, _schema_said(err)))
    return sorted(out, key=lambda p: (p.line, p.column, p.message))


def _schema_said(err: Any) -> Message:
    """A rule file's schema error, in the words used for every file (the schema's own words for
    the rarer kinds)."""
    kind, value, bound = err.validator, err.instance, err.validator_value
    if kind == "required" and isinstance(bound, list):
        absent = [k for k in bound if not isinstance(value, dict) or k not in value]
        return message("missing_field", field=absent[0] if absent else "")
    if kind == "enum" and isinstance(bound, list):
        options = [str(o) for o in bound]
        return message(
            "expected_one_of",
            options=", ".join(options),
            got=given_value(value),
            hint=suggestion(str(value), options),
        )
    if kind == "const":
        return message("expected_value", option=shown(bound), got=given_value(value), hint="")
    if kind == "type" and bound == "array":
        return message("expected_list", example="[a, b]", got=given_value(value))
    if kind == "type" and str(bound) in _SCHEMA_TYPES:
        return message(_SCHEMA_TYPES[str(bound)], got=given_value(value))
    if kind == "pattern":
        return message("expected_pattern", pattern=str(bound), got=given_value(value))
    if kind in _SCHEMA_BOUNDS and isinstance(value, int | float) and not isinstance(value, bool):
        return message(_SCHEMA_BOUNDS[kind], limit=shown(bound), got=shown(value))
    if kind in _SCHEMA_LENGTHS and isinstance(value, str | list):
        if kind == "minLength" and not value:
            return message("text_empty")
        return message(_SCHEMA_LENGTHS[kind], limit=shown(bound), n=len(value))
    if kind in ("anyOf", "oneOf") and isinstance(bound, list):
        return _any_of_said(bound, value)
    return message("rule_schema", detail=verbatim(err.message))


def _any_of_said(forms: list[Any], value: Any) -> Message:
    """A value that fits none of a schema's alternatives: the one type they allow besides null
    (an optional text), in the words of that type, else each alternative's type."""
    types = [str(f.get("type", f.get("$ref", "?").rpartition("/")[2])) for f in forms if isinstance(f, dict)]
    wanted = [t for t in types if t != "null"]
    if len(wanted) == 1 and wanted[0] in _SCHEMA_TYPES:
        return message(_SCHEMA_TYPES[wanted[0]], got=given_value(value))
    if len(wanted) == 1 and wanted[0] == "array":
        return message("expected_list", example="[a, b]", got=given_value(value))
    return message("rule_schema_any_of", forms=", ".join(types), got=given_value(value))


def _substitute(value: Any, item: dict[str, Any], as_text: bool = False) -> Any:
    """Fill ${name} placeholders; a value that is exactly one placeholder takes the item's value
    as is (lists included), except in mapping keys, which stay text."""
    if isinstance(value, str):
        for name, replacement in item.items():
            token = "${" + name + "}"
            if value == token and not as_text:
                return replacement
            value = value.replace(token, str(replacement))
        return value
    if isinstance(value, list):
        return [_substitute(v, item) for v in value]
    if isinstance(value, dict):
        return {_substitute(k, item, as_text=True): _substitute(v, item) for k, v in value.items()}
    return value


def _read(path: Path, display: str) -> tuple[bytes, Located]:
    """A rule file's bytes and YAML (a regular file, bounded); a file that is not YAML is a rule error."""
    try:
        raw = read_limited(path, MAX_PACK_BYTES)
        return raw, load_yaml(raw, display, max_bytes=MAX_PACK_BYTES)
    except InputError as exc:
        problems = [replace(p, file=display) for p in exc.problems]
        raise RuleError(exc.said, problems) from None


def _load_file(path: Path, display: str) -> tuple[bytes, Located, list[tuple[Rule, NodePath]]]:
    raw, located = _read(path, display)
    data = located.data
    if data is None:
        return raw, located, []
    problems = _schema_problems(display, located, data)
    if problems:
        raise RuleError(message("rules_invalid_file", file=display), problems)
    try:
        parsed = RuleFile.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(display, located, exc, RuleFile)
        raise RuleError(message("rules_invalid_file", file=display), problems) from None
    rules: list[tuple[Rule, NodePath]] = [(r, ("rules", i)) for i, r in enumerate(parsed.rules)]
    for t, template in enumerate(parsed.templates):
        rules.extend(_expand(display, located, template, ("templates", t)))
    return raw, located, rules


def _expand(
    display: str, located: Located, template: RuleTemplate, at: NodePath
) -> list[tuple[Rule, NodePath]]:
    out = []
    for i, item in enumerate(template.for_each):
        try:
            out.append((Rule.model_validate(_substitute(template.rule, item)), (*at, "for_each", i)))
        except ValidationError as exc:
            problems = validation_problems(display, located, exc, Rule, at=(*at, "rule"))
            raise RuleError(message("rules_invalid_template", file=display), problems) from None
    return out


def _catalogue(path: Path, display: str) -> tuple[Catalogue, bytes]:
    raw, located = _read(path, display)
    try:
        return Catalogue.model_validate(located.data), raw
    except ValidationError as exc:
        problems = validation_problems(display, located, exc, Catalogue)
        raise RuleError(message("rules_invalid_catalogue", file=display), problems) from None


def rule_files(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.name != CATALOGUE_FILE
    )


def _extra_files(d: Path) -> list[Path]:
    """The rule files of a directory given by the user; a missing, unreadable or empty one is an error."""
    try:
        if not d.is_dir():
            reason = message("rules_not_directory" if d.exists() else "rules_not_found")
            raise RuleError(reason, [Problem(str(d), 1, 1, reason)])
        found = rule_files(d)
    except OSError as exc:
        said = message("rules_cannot_read", reason=os_reason(exc))
        raise RuleError(said, [Problem(str(d), 1, 1, said)]) from None
    if not found:
        raise RuleError(message("rules_none"), [Problem(str(d), 1, 1, message("rules_none"))])
    return found


def _base_dir(base: Path | None) -> Path:
    """The directory of the base pack: the bundled one unless another is given."""
    return resources.rules_dir() if base is None else Path(base)


def _pack_files(extra_dirs: Sequence[Path], base: Path | None = None) -> list[tuple[Path, str]]:
    """The rule files of a pack, in load order, with the names they are reported under (the base
    pack's by its directory's name, "rules/..." for the bundled one, wherever it is installed)."""
    base_dir = _base_dir(base)
    files: list[tuple[Path, str]] = [(p, f"{base_dir.name}/{p.name}") for p in rule_files(base_dir)]
    for d in extra_dirs:
        files.extend((p, str(p)) for p in _extra_files(Path(d)))
    return files


def pack_digest(extra_dirs: Sequence[Path] = (), base: Path | None = None) -> str:
    """The SHA-256 that load_pack(extra_dirs, base) gives the pack, from the files' bytes alone. A
    file that is not a regular file, or is too large, raises InputError (the caller loads the
    pack, which reports it where it is)."""
    digest = hashlib.sha256(read_limited(_base_dir(base) / CATALOGUE_FILE, MAX_PACK_BYTES))
    for path, display in _pack_files(extra_dirs, base):
        digest.update(display.encode() + b"\0" + read_limited(path, MAX_PACK_BYTES))
    return digest.hexdigest()


def load_pack(extra_dirs: Sequence[Path] = (), base: Path | None = None) -> RulePack:
    """The bundled pack, plus the rule files in extra_dirs. With base, the pack in that directory
    (its requirements.yaml and rule files) instead of the bundled one."""
    base_dir = _base_dir(base)
    catalogue, cat_raw = _catalogue(base_dir / CATALOGUE_FILE, f"{base_dir.name}/{CATALOGUE_FILE}")
    digest = hashlib.sha256()
    digest.update(cat_raw)
    files = _pack_files(extra_dirs, base)
    requirements = {r.id: r for r in catalogue.requirements}
    loaded: dict[str, LoadedRule] = {}
    program: Program | None = None
    for path, display in files:
        raw, located, rules = _load_file(path, display)
        digest.update(display.encode() + b"\0" + raw)
        problems: list[Problem] = []
        for rule, at in rules:
            found = list(_check_rule(display, located, rule, at, requirements, catalogue, loaded))
            if found:  # every rule is still checked, so that a file's problems come at once
                problems.extend(found)
                continue
            try:
                compiled = compile_rule(rule)
            except CompileError as exc:
                loc = at if at[0] == "rules" else (*at[:2], "rule")
                said = message("rule_compile", rule=rule.id, detail=exc.said)
                problems.append(_problem(display, located, (*loc, *exc.where), said))
                continue
            mark = located.mark_for(at)
            loaded[rule.id] = LoadedRule(compiled, display, mark.line, mark.column)
        if problems:
            raise RuleError(message("rules_invalid_rules", file=display), problems)
        try:  # linked after each file, so that a pack the engine cannot take names the file that broke it
            program = link([r.compiled for r in loaded.values()])
        except CompileError as exc:
            first = located.mark_for(rules[0][1]) if rules else located.mark_for(())
            said = message("rule_link", detail=exc.said)
            raise RuleError(said, [Problem(display, first.line, first.column, said)]) from None
    if program is None:
        program = link([])
    return RulePack(
        name=catalogue.pack.name,
        version=catalogue.pack.version,
        sha256=digest.hexdigest(),
        sources=dict(catalogue.sources),
        requirements=requirements,
        rules=loaded,
        program=program,
    )


def _check_rule(
    display: str,
    located: Located,
    rule: Rule,
    at: NodePath,
    requirements: dict[str, Requirement],
    catalogue: Catalogue,
    loaded: dict[str, LoadedRule],
) -> Iterable[Problem]:
    if rule.id in loaded:
        first = loaded[rule.id]
        yield _problem(
            display,
            located,
            (*at, "id"),
            message("duplicate_rule", rule=rule.id, where=f"{first.file}:{first.line}"),
        )
    if rule.requirement not in requirements:
        hint = suggestion(rule.requirement, requirements)
        said = message("unknown_requirement", requirement=rule.requirement, hint=hint)
        yield _problem(display, located, (*at, "requirement"), said)
    if rule.citation.source not in catalogue.sources:
        yield _problem(
            display,
            located,
            (*at, "citation", "source"),
            message("unknown_source", source=rule.citation.source, known=", ".join(catalogue.sources)),
        )
