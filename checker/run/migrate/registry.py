"""The migration steps: one function per change of the dossier format, by the version it
migrates from. A later format change adds its steps here; `migrate` runs every step from a
dossier's version to the latest, in order, then writes the new `schema_version`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checker.run.migrate import endpoints, follow_up, labels
from checker.run.migrate.steps import Edit


@dataclass(frozen=True)
class Step:
    """One change of the format: `migrate(edit)` rewrites the part of a `source` dossier it
    concerns."""

    name: str
    source: str
    migrate: Callable[[Edit], None]


STEPS: tuple[Step, ...] = (
    Step("coded primary endpoints", "1.0", endpoints.migrate),
    Step("labels with revisions", "1.0", labels.migrate),
    Step("two follow-ups, studies that name their indications", "1.0", follow_up.migrate),
)


def steps_from(version: str) -> tuple[Step, ...]:
    """The registered steps that migrate a dossier of `version`, in order."""
    return tuple(step for step in STEPS if step.source == version)
