"""What a migration step works with (the registry of steps is `checker.run.migrate.registry`).

A step edits the round-trip document in place. It never drops a value: what it moves it moves
whole, what it infers it adds beside what the author wrote, and what it cannot infer it leaves
to the author, marked with a YAML comment (`Edit.todo`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from checker.base.errors import NodePath
from checker.base.i18n import Message, text

# A chain of (mapping, key) pairs from the document's root to a value: where a comment about the
# value may be written (the deepest mapping written in block style).
Chain = Sequence[tuple[Any, str]]


@dataclass(frozen=True)
class Change:
    """What a step did (a note) or leaves to the author (a to-do, also a comment in the file),
    at a path of the migrated dossier."""

    kind: Literal["note", "todo"]
    path: NodePath
    said: Message


@dataclass
class Edit:
    """One dossier being migrated: its round-trip document and what the steps say about it."""

    root: Any
    lang: str
    changes: list[Change] = field(default_factory=list)
    _comments: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    def note(self, path: NodePath, said: Message) -> None:
        self.changes.append(Change("note", path, said))

    def todo(self, path: NodePath, chain: Chain, said: Message) -> None:
        """Leave `said` to the author: a comment at the value `chain` leads to, and a to-do."""
        self.changes.append(Change("todo", path, said))
        comment = said.text(self.lang)
        owner, key = _commentable(chain)
        ours = self._comments.get((id(owner), key))
        existing = owner.ca.items.get(key)
        if ours is not None:  # one end-of-line comment of ours, saying each to-do in turn
            ours.append(comment)
            owner.yaml_add_eol_comment(self._comment(ours), key)
        elif (existing is None or len(existing) < 3 or existing[2] is None) and not _block_scalar(owner[key]):
            self._comments[(id(owner), key)] = [comment]
            owner.yaml_add_eol_comment(self._comment([comment]), key)
        else:  # the author's comment stays at the end of the line (or a block scalar there): ours goes above
            column = owner.lc.key(key)[1]
            owner.yaml_set_comment_before_after_key(key, before=self._comment([comment]), indent=column)

    def _comment(self, texts: list[str]) -> str:
        return f"{text('migrate_comment_prefix', self.lang)}: {'; '.join(texts)}"


def _block_scalar(value: Any) -> bool:
    """Whether a value is written as a literal or folded block (`|`, `>`): lines of its own."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, LiteralScalarString | FoldedScalarString)


def _commentable(chain: Chain) -> tuple[Any, str]:
    """The deepest (mapping, key) of `chain` whose mapping is written in block style (a comment
    cannot go inside a flow mapping: it goes after the flow mapping's own key)."""
    for owner, key in reversed(chain):
        if not owner.fa.flow_style():
            return owner, key
    return chain[0]


def items(root: Any, key: str) -> list[tuple[int, Any]]:
    """The mappings of the list at `root[key]`, with their indices (an absent or null list, or
    an item that is not a mapping, gives none)."""
    value = root.get(key) if isinstance(root, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]
