"""The texts of the language server (`cgt-check lsp`), in English and Chinese: its diagnostics'
words around the findings, its hovers and its code actions. Part of the one table of
`checker.base.i18n` (see `checker.base.i18n_input`)."""

from __future__ import annotations

LSP: dict[str, tuple[str, str]] = {
    "lsp_needs_pygls": (
        "the language server needs pygls, which is not installed: pip install 'cgt-checker[lsp]'",
        "语言服务器需要 pygls，但尚未安装：pip install 'cgt-checker[lsp]'",
    ),
    "lsp_finding": ("{requirement}: {message}", "{requirement}：{message}"),
    "lsp_problem_at": ("at {path}: {message}", "位于 {path}：{message}"),
    "lsp_check_stopped": (
        "this dossier cannot be checked: {problem}",
        "无法检查本申报资料：{problem}",
    ),
    "lsp_baselined": (
        "in the baseline {file}: not a new finding, it does not fail the check",
        "已纳入基线 {file}：不是新问题，不会导致检查不通过",
    ),
    "lsp_stale": (
        "stale justification: {target} at {path} covers no finding",
        "豁免说明未对应任何问题：{target}，{path}",
    ),
    "lsp_hover_rule": (
        "Rule `{rule}` ({severity}) · requirement {requirement}",
        "规则 `{rule}`（{severity}）· 要求 {requirement}",
    ),
    "lsp_rule_docs": ("The rule's documentation", "规则说明"),
    "lsp_field_values": ("One of: {values}", "取值之一：{values}"),
    "lsp_field_required": ("Required.", "必填。"),
    "lsp_action_item": ("Add a {list} item ({what})", "在 {list} 中添加一项（{what}）"),
    "lsp_action_section": ("Add the missing {key}", "添加缺少的 {key}"),
    "lsp_action_justify": (
        "Justify {rule} at {path} (a justification entry, its reason and approver to write)",
        "为 {path} 的 {rule} 添加豁免说明（需填写理由和批准人）",
    ),
    "lsp_internal_error": (
        "cgt-check lsp: internal error (please report it): {error}",
        "cgt-check lsp：内部错误（请报告此问题）：{error}",
    ),
    "lsp_unknown_options": (
        "cgt-check lsp: initializationOptions not known, ignored: {names}",
        "cgt-check lsp：无法识别的 initializationOptions，已忽略：{names}",
    ),
}
