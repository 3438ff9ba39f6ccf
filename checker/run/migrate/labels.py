"""1.0 → 2.0, labels with revisions: the one `label` becomes the first item of `labels`, with an
id and the indications it covers (an approved label: the approved indications; a draft label:
those under marketing review). Indications at those stages that it does not cover, and a label
that covers none, are left to the author with a comment."""

from __future__ import annotations

from typing import Any

from checker.base.i18n import message
from checker.run.migrate.steps import Edit, items

# The stage of the indications a label of each status covers.
COVERS = {"approved": "approved", "draft": "nda-under-review"}


def migrate(edit: Edit) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    root = edit.root
    if "label" not in root:
        return
    label = root.get("label")
    if not isinstance(label, CommentedMap):  # null: no label, written as no labels
        _rename(root, "label", "labels")
        return
    status = str(label.get("status"))
    label_id = f"{status}-label" if status in COVERS else "label"
    stages = {ind.get("id"): ind.get("stage") for _, ind in items(root, "indications")}
    covered = [i for i, stage in stages.items() if isinstance(i, str) and stage == COVERS.get(status)]
    covers = CommentedSeq(covered)
    covers.fa.set_flow_style()
    label.insert(0, "id", label_id)
    label.insert(list(label).index("status") + 1, "indications", covers)
    own = label.ca.comment
    if own and own[0] is not None:  # the comment after `label:`, held by the label too
        if root.ca.items.get("label") is None:
            root.ca.items["label"] = [None, None, own[0], None]
        own[0] = None  # in a list, it would follow the item's dash
    _rename(root, "label", "labels")
    root["labels"] = CommentedSeq([label])
    at = ("labels", 0)
    chain = [(root, "labels"), (label, "indications")]
    said = ", ".join(covered) if covered else message("migrate_label_none")
    edit.note(
        (*at, "indications"),
        message("migrate_label_moved", id=label_id, status=str(status), indications=said),
    )
    if not covered:
        edit.todo((*at, "indications"), chain, message("migrate_label_no_indication"))
    for stage in ("nda-under-review", "approved"):
        left = [i for i, s in stages.items() if isinstance(i, str) and s == stage and i not in covered]
        if left:
            needs = "draft" if stage == "nda-under-review" else "approved"
            said_ids = ", ".join(left)
            edit.todo(
                (*at, "indications"),
                chain,
                message("migrate_label_uncovered", ids=said_ids, stage=stage, status=needs),
            )


def _rename(root: Any, old: str, new: str) -> None:
    """Key `old` of `root` written as `new`, in its place, with its value and comments."""
    position = list(root).index(old)
    comments = root.ca.items.pop(old, None)
    value = root.pop(old)
    root.insert(position, new, value)
    if comments is not None:
        root.ca.items[new] = comments
