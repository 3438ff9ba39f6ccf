"""Code actions where the fix of a finding is mechanical, as text edits that keep the rest of the
file as it is written:

- the skeleton of what a rule finds missing, read from the rule itself: an item of the list its
  `absent:` pattern looks into, with the values the pattern tests for and the references it
  joins on (a `confirmatory-trial` commitment for the indication, with its keys), or a section
  or field its `where` finds absent; the model's other keys are added, each without a value
  where no value follows from the rule or the model, to be filled in;
- a justification entry for the finding in the dossier's `justifications:` section, its reason
  and approver left to be written (the dossier is not valid until they are).

Edits are made in block-style YAML at the indentation found there; a list or a mapping written
in flow style (`[...]`, `{...}`) gets no action."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from checker.base import i18n
from checker.base.errors import NodePath
from checker.engine.facts import FANOUT
from checker.load.located import Located
from checker.load.yamlio import dump_yaml
from checker.lsp.fields import model_at, skeleton
from checker.lsp.text import Position, Text
from checker.model.introspect import LISTS, ROOT
from checker.report.result import Finding
from checker.rulepack.pack import RulePack
from checker.rulepack.spec import Rule

_NOT_EQUALITY = frozenset({"absent", "present"})
_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


@dataclass(frozen=True)
class Edit:
    """Text inserted at a position."""

    at: Position
    text: str


@dataclass(frozen=True)
class Action:
    title: str
    edit: Edit
    rule: str  # the finding's rule id
    path: str  # the finding's dossier path


# ---------------------------------------------------------------- the document's structure


def resolve(located: Located, label: str) -> NodePath | None:
    """The node path of a dossier path as findings write it (`indications[lbcl-3l].approval`)."""
    if label == "(dossier)":
        return ()
    out: list[str | int] = []
    node: Any = located.data
    for name, item in _STEP.findall(label):
        if name:
            out.append(name)
            node = node.get(name) if isinstance(node, dict) else None
        else:
            if not isinstance(node, list):
                return None
            index = next((i for i, x in enumerate(node) if isinstance(x, dict) and x.get("id") == item), None)
            if index is None and item.isdigit() and int(item) < len(node):
                index = int(item)
            if index is None:
                return None
            out.append(index)
            node = node[index]
    return tuple(out)


def _node(located: Located, path: NodePath) -> Any:
    node: Any = located.data
    for step in path:
        if isinstance(node, dict) and isinstance(step, str):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return None
    return node


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _after_block(text: Text, first: int, inside: int, item_indent: int | None = None) -> int:
    """The offset where a block that starts on line `first` ends: the start of the line after its
    last line of content, a block's lines being those indented at least `inside` (for a list, also
    the lines at `item_indent` that start an item)."""
    last = first
    for line in range(first + 1, text.line_count + 1):
        s = text.line_text(line)
        if not _content(s):
            continue
        ind = _indent(s)
        if ind >= inside or (item_indent is not None and ind == item_indent and s.lstrip().startswith("-")):
            last = line
            continue
        break
    if last >= text.line_count:
        return len(text.source)
    return text.offset(last + 1, 1)


def _flow(text: Text, located: Located, path: NodePath) -> bool:
    m = located.marks.get(path)
    if m is None:
        return False
    rest = text.line_text(m.line)[m.column - 1 :].lstrip()
    return rest.startswith(("{", "["))


def _block(lines: str, indent: int) -> str:
    """YAML text indented by `indent` spaces, a key without a value written as `key:`."""
    out = []
    for line in lines.splitlines():
        if line.endswith(": null") or line.endswith("- null"):
            line = line[: -len(" null")]
        out.append(" " * indent + line)
    return "\n".join(out) + "\n"


def _insert(text: Text, offset: int, body: str) -> Edit:
    if offset == len(text.source) and text.source and not text.source.endswith(("\n", "\r")):
        body = "\n" + body
    return Edit(text.position(offset), body)


def add_to_mapping(text: Text, located: Located, at: NodePath, key: str, value: Any) -> Edit | None:
    """An edit adding `key: value` to the block mapping at `at` (after its last line)."""
    node = _node(located, at)
    if not isinstance(node, dict) or _flow(text, located, at):
        return None
    if at == ():
        return _insert(text, len(text.source), _block(dump_yaml({key: value}), 0))
    keys = [m for p, m in located.key_marks.items() if len(p) == len(at) + 1 and p[: len(at)] == at]
    if not keys:
        return None
    first = min(keys)
    indent = first.column - 1
    end = _after_block(text, first.line, indent)
    return _insert(text, end, _block(dump_yaml({key: value}), indent))


def add_to_list(text: Text, located: Located, at: NodePath, item: Any) -> Edit | None:
    """An edit adding an item to the block list at `at` (creating the list where it is absent)."""
    node = _node(located, at)
    parent, key = at[:-1], at[-1]
    if node is None and isinstance(key, str):
        key_mark = located.key_marks.get(at)
        if key_mark is None:  # no such key: the list is added to its mapping
            return add_to_mapping(text, located, parent, key, [item])
        indent = key_mark.column - 1 + 2  # the key is written without a value
        end = text.offset(key_mark.line + 1, 1) if key_mark.line < text.line_count else len(text.source)
        return _insert(text, end, _block(dump_yaml([item]), indent))
    if not isinstance(node, list) or not node or _flow(text, located, at):
        return None
    first = located.marks.get((*at, 0))
    if first is None:
        return None
    line = text.line_text(first.line)
    dash = line.rfind("-", 0, first.column - 1)
    if dash < 0:
        return None
    end = _after_block(text, first.line, dash + 1, dash)
    return _insert(text, end, _block(dump_yaml([item]), dash))


# ---------------------------------------------------------------- what a rule finds missing


def _version(located: Located) -> str:
    """The dossier's format version (a skeleton holds no field newer than it)."""
    data = located.data
    version = data.get("schema_version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else "1.0"


def _subject(rule: Rule, finding: Finding) -> str:
    """The dossier path of the item a finding is about (its path less the rule's field)."""
    field = rule.report.field
    if field and finding.path.endswith("." + field):
        return finding.path[: -len(field) - 1]
    if field and finding.path == field:
        return "(dossier)"
    return finding.path


def _equalities(where: dict[str, Any]) -> dict[str, Any]:
    """The values a pattern's tests fix: `field: value`, `{eq: value}`, the first of `{in: [...]}`;
    a dotted field as nested mappings."""
    out: dict[str, Any] = {}
    for field, test in where.items():
        if isinstance(test, dict):
            value = test.get("eq", (test.get("in") or [None])[0])
        else:
            value = None if isinstance(test, str) and test in _NOT_EQUALITY else test
        if value is None or isinstance(value, dict | list) or field == "any":
            continue
        cur = out
        *parents, leaf = field.split(".")
        for part in parents:
            cur = cur.setdefault(part, {})
        cur[leaf] = value
    return out


def _missing_item(rule: Rule, finding: Finding, located: Located) -> tuple[NodePath, dict[str, Any]] | None:
    """The list an `absent:` pattern looks into and the item that would satisfy it."""
    subject = resolve(located, _subject(rule, finding))
    if subject is None:
        return None
    subject_node = _node(located, subject)
    subject_id = subject_node.get("id") if isinstance(subject_node, dict) else None
    alias = rule.report.at
    subject_fact = next((p.fact for p in rule.applies if p.alias == alias), None)
    for absent in rule.gap.absent:
        spec = next((s for s in LISTS if s.fact == absent.fact), None)
        if spec is None or spec.owner not in (ROOT, subject_fact):
            continue
        list_path: NodePath = spec.path if spec.owner == ROOT else (*subject, *spec.path)
        given = _equalities(absent.where)
        for join in absent.join:
            right_alias, _, right_field = join.right.partition(".")
            if join.op != "eq" or right_alias != alias or right_field != "key" or subject_id is None:
                return None  # a reference that cannot be filled in: not mechanical
            fanned = FANOUT.get(absent.fact)
            if fanned is not None and join.field == fanned[1]:  # one fact per id of the item's list
                given[fanned[0]] = [subject_id]
            else:
                given[join.field] = subject_id
        existing = _node(located, list_path)
        ids = {x.get("id") for x in existing if isinstance(x, dict)} if isinstance(existing, list) else set()
        base = "-".join(str(p) for p in (given.get("kind"), subject_id) if p) or absent.fact
        new_id, n = base, 2
        while new_id in ids:
            new_id, n = f"{base}-{n}", n + 1
        item_model = spec.item
        ordered = {"id": new_id, **given} if "id" in item_model.model_fields else given
        return list_path, skeleton(item_model, ordered, _version(located))
    return None


def _missing_field(rule: Rule, finding: Finding, located: Located) -> tuple[NodePath, str, Any] | None:
    """The section or field of the finding's item that the rule's `where` finds absent: where to
    add it, its key and its skeleton."""
    field = rule.report.field
    tests = rule.gap.where.get(rule.report.at, {})
    if not field or tests.get(field) != "absent":
        return None
    subject = resolve(located, _subject(rule, finding))
    if subject is None:
        return None
    at: NodePath = subject
    parts = field.split(".")
    for depth, part in enumerate(parts):
        node = _node(located, at)
        if not isinstance(node, dict):
            return None
        if node.get(part) is None:
            rest = parts[depth + 1 :]
            model = model_at((*at, part))
            value: Any = None
            if model is not None:
                nested: Any = None
                for name in reversed(rest):
                    nested = {name: nested}
                value = skeleton(model, nested or {}, _version(located))
            if part in node:  # written without a value: not a place to add a key
                return None
            return at, part, value
        at = (*at, part)
    return None


def actions(findings: list[Finding], pack: RulePack, located: Located, text: Text, lang: str) -> list[Action]:
    """The code actions for findings: a skeleton where the rule says what is missing, and a
    justification entry for each finding not justified yet."""
    out: list[Action] = []
    for f in findings:
        lr = pack.rules.get(f.rule_id)
        if lr is None:
            continue
        item = _missing_item(lr.rule, f, located)
        if item is not None:
            list_path, value = item
            edit = add_to_list(text, located, list_path, value)
            what = ", ".join(f"{k}: {v}" for k, v in value.items() if k != "id" and isinstance(v, str))
            label = ".".join(str(p) for p in list_path if isinstance(p, str))
            if edit is not None:
                title = i18n.text("lsp_action_item", lang, list=label, what=what)
                out.append(Action(title, edit, f.rule_id, f.path))
        else:
            missing = _missing_field(lr.rule, f, located)
            if missing is not None:
                at, key, value = missing
                edit = add_to_mapping(text, located, at, key, value)
                if edit is not None:
                    out.append(
                        Action(i18n.text("lsp_action_section", lang, key=key), edit, f.rule_id, f.path)
                    )
        if f.waiver is None:
            entry = {"rule": f.rule_id, "path": f.path, "reason": None, "approved_by": None}
            edit = add_to_list(text, located, ("justifications",), entry)
            if edit is not None:
                title = i18n.text("lsp_action_justify", lang, rule=f.rule_id, path=f.path)
                out.append(Action(title, edit, f.rule_id, f.path))
    return out
