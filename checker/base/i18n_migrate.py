"""The texts of format versions and of `cgt-check migrate`, in English and Chinese: a field or
a value of another format version, what it says about each file, the
comments it leaves in a migrated dossier for its author, and why it cannot migrate a file. Part
of the one table of `checker.base.i18n` (see `checker.base.i18n_input`)."""

from __future__ import annotations

MIGRATE: dict[str, tuple[str, str]] = {
    # fields and values of one format version
    "field_until": (
        "{field} is a format 1.0 field: a format {version} dossier writes {instead} instead "
        "(`cgt-check migrate FILE` rewrites it)",
        "{field} 是 1.0 格式的字段：{version} 格式的申报资料应改写为 {instead}（`cgt-check migrate FILE` 可自动改写）",
    ),
    "risk_needs_2_0": (
        "risk '{risk}' is a format 2.0 value: it needs schema_version: \"2.0\" (`cgt-check migrate FILE`)",
        'risk “{risk}”是 2.0 格式的取值：需要 schema_version: "2.0"（`cgt-check migrate FILE`）',
    ),
    "topic_needs_2_0": (
        "topic '{topic}' is a format 2.0 value: it needs schema_version: \"2.0\" (`cgt-check migrate FILE`)",
        'topic “{topic}”是 2.0 格式的取值：需要 schema_version: "2.0"（`cgt-check migrate FILE`）',
    ),
    # what is said about each file, on standard error
    "migrate_current": (
        "{file}: already format {version}: unchanged",
        "{file}：已是 {version} 格式，未作修改",
    ),
    "migrate_done": (
        "{file}: migrated from format {old} to {new}",
        "{file}：已从 {old} 格式迁移为 {new} 格式",
    ),
    "migrate_written": (
        "{file}: migrated from format {old} to {new} and written",
        "{file}：已从 {old} 格式迁移为 {new} 格式并写回文件",
    ),
    "migrate_note": ("{where}: note: {message}", "{where}：提示：{message}"),
    "migrate_todo": ("{where}: to do: {message}", "{where}：待补充：{message}"),
    "migrate_summary": (
        "{files} file(s): {migrated} migrated, {current} already current, {failed} not migrated; "
        "{todo} place(s) marked for the author (comments starting 'cgt-check migrate')",
        "{files} 个文件：{migrated} 个已迁移，{current} 个已是最新格式，{failed} 个未迁移；"
        "{todo} 处已用注释标出待作者补充（以“cgt-check migrate”开头的注释）",
    ),
    "migrate_failed": ("{n} problem(s): not migrated", "{n} 个问题：未迁移"),
    "migrate_no_files": (
        "migrate: give at least one dossier file or directory",
        "migrate：请至少指定一个申报资料文件或目录",
    ),
    "migrate_stdin": (
        "migrate reads files, not standard input: give the dossier's path",
        "migrate 只读取文件，不读取标准输入：请给出申报资料文件的路径",
    ),
    # why a file cannot be migrated
    "migrate_not_dossier": (
        'not a dossier: it has no schema_version (a dossier starts with schema_version: "1.0")',
        '不是申报资料文件：缺少 schema_version（申报资料应以 schema_version: "1.0" 开头）',
    ),
    "migrate_roundtrip_failed": (
        "cannot migrate: the round-trip YAML reader cannot read this file ({reason})",
        "无法迁移：保留格式的 YAML 读取器无法读取此文件（{reason}）",
    ),
    # two follow-ups, studies that name their indications
    "migrate_follow_up_split": (
        "format 1.0's long_term_follow_up also stood for the follow-up of patients treated after "
        "approval: post_marketing_follow_up takes its {fields}; check that it is that follow-up, "
        "and say whether it is lifelong and watches for secondary malignancy",
        "1.0 格式的 long_term_follow_up 兼指上市后治疗患者的随访：post_marketing_follow_up 已沿用其 {fields}；"
        "请确认其为该随访，并说明是否终身随访、是否监测继发恶性肿瘤",
    ),
    "migrate_follow_up_empty": (
        "format 1.0's long_term_follow_up also stood for the follow-up of patients treated after "
        "approval: post_marketing_follow_up stands for it; say how treated patients are followed, "
        "whether for life and whether for secondary malignancy",
        "1.0 格式的 long_term_follow_up 兼指上市后治疗患者的随访：已写入 post_marketing_follow_up；"
        "请说明如何随访治疗患者、是否终身随访、是否监测继发恶性肿瘤",
    ),
    "migrate_rws_indications": (
        "a format 1.0 study served the whole product: it now names every indication under NDA "
        "review or approved ({ids}); keep those whose patients it follows",
        "1.0 格式的研究适用于整个产品：现已列出所有处于上市申请审评中或已获批的适应症（{ids}）；"
        "请只保留该研究所随访患者的适应症",
    ),
    "migrate_result_invalid": (
        "cannot migrate: the migrated dossier would not be valid: {problem}",
        "无法迁移：迁移后的申报资料将无效：{problem}",
    ),
    # what a step did or leaves to the author
    "migrate_comment_prefix": ("cgt-check migrate", "cgt-check migrate"),
    "migrate_measure_inferred": (
        "measure_code {code} inferred from measure '{measure}': check it",
        "已根据 measure“{measure}”推断 measure_code 为 {code}：请核对",
    ),
    "migrate_measure_unknown": (
        "add measure_code (format 2.0; e.g. objective-response-rate, complete-response-rate, "
        "progression-free-survival, overall-survival, other): it cannot be inferred from measure",
        "请补充 measure_code（2.0 格式；如 objective-response-rate、complete-response-rate、"
        "progression-free-survival、overall-survival、other）：无法根据 measure 推断",
    ),
    "migrate_label_moved": (
        "label moved to labels[{id}] ({status}), covering {indications}",
        "label 已移至 labels[{id}]（{status}），覆盖适应症 {indications}",
    ),
    "migrate_label_none": ("no indication", "无适应症"),
    "migrate_label_uncovered": (
        "indications {ids} ({stage}) are covered by no {status} label: list them in the "
        "indications of a label with status: {status} (add one if there is none)",
        "适应症 {ids}（{stage}）没有 {status} 状态的说明书覆盖：请在 status 为 {status} 的说明书的 "
        "indications 中列出这些适应症（如无此说明书，请增加一份）",
    ),
    "migrate_label_no_indication": (
        "say which indications this label covers (indications: [...]): none is at its stage",
        "请说明此说明书覆盖哪些适应症（indications: [...]）：没有处于相应阶段的适应症",
    ),
}
