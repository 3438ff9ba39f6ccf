"""1.0 → 2.0, two follow-ups and studies that name their indications. In 1.0 the one
`long_term_follow_up` stands for the follow-up of trial subjects and of patients treated after
approval, and a real-world study serves the whole product; 2.0 says each apart. For a dossier with
an indication under NDA review or approved (where the post-marketing follow-up is asked for), the
migration keeps what 1.0 meant and marks it for the author:

- `post_marketing_follow_up` is written after `long_term_follow_up`, with its `protocol_ref` and
  `duration`: the author says whether it is the follow-up of treated patients (and whether it is
  lifelong and watches for secondary malignancy);
- a real-world study without `indications` names every indication under NDA review or approved:
  the author keeps those whose patients it follows."""

from __future__ import annotations

import copy
from typing import Any

from checker.base.i18n import message
from checker.run.migrate.steps import Edit, items

# The stages at which the follow-up of treated patients and real-world studies are asked for.
POST_MARKETING = ("nda-under-review", "approved")
# What the follow-up of treated patients takes from 1.0's follow-up.
CARRIED = ("protocol_ref", "duration")


def migrate(edit: Edit) -> None:
    root = edit.root
    post = [
        ind.get("id")
        for _, ind in items(root, "indications")
        if isinstance(ind.get("id"), str) and ind.get("stage") in POST_MARKETING
    ]
    if not post:
        return
    _follow_up(edit, root)
    _studies(edit, root, post)


def _follow_up(edit: Edit, root: Any) -> None:
    from ruamel.yaml.comments import CommentedMap

    plan = root.get("long_term_follow_up")
    if not isinstance(plan, dict) or "post_marketing_follow_up" in root:
        return
    carried = CommentedMap((key, copy.deepcopy(plan[key])) for key in CARRIED if key in plan)
    root.insert(list(root).index("long_term_follow_up") + 1, "post_marketing_follow_up", carried)
    fields = ", ".join(key for key in CARRIED if key in plan)
    said = message("migrate_follow_up_split", fields=fields) if fields else message("migrate_follow_up_empty")
    edit.todo(("post_marketing_follow_up",), [(root, "post_marketing_follow_up")], said)


def _studies(edit: Edit, root: Any, post: list[str]) -> None:
    from ruamel.yaml.comments import CommentedSeq

    for index, study in items(root, "real_world_studies"):
        if "indications" in study:
            continue
        serves = CommentedSeq(post)
        serves.fa.set_flow_style()
        keys = list(study)
        study.insert(keys.index("status") + 1 if "status" in keys else len(keys), "indications", serves)
        edit.todo(
            ("real_world_studies", index, "indications"),
            [(root, "real_world_studies"), (study, "indications")],
            message("migrate_rws_indications", ids=", ".join(post)),
        )
