"""The words of the workbook, of a shortened Markdown report and of the gate in every format, in
English and Chinese (the CDE's terms): part of the one table of checker.base.i18n."""

from __future__ import annotations

REPORT: dict[str, tuple[str, str]] = {
    # writing a format at all
    "binary_to_terminal": (
        "the {format} report is a binary file, not for a terminal: give --output FILE (e.g. "
        "report{suffix}) or redirect standard output",
        "{format} 报告是二进制文件，不能输出到终端：请用 --output 指定文件（如 report{suffix}）或重定向标准输出",
    ),
    "format_needs_extra": (
        "the {format} format needs {module}, which is not installed: pip install 'cgt-checker[{extra}]'",
        "{format} 格式需要 {module}，但尚未安装：请运行 pip install 'cgt-checker[{extra}]'",
    ),
    # the gate and the baseline, in every format
    "below_gate": (
        "below --fail-on {fail_on}, reported and not a failure:",
        "低于 --fail-on {fail_on}，仅报告、不判为失败：",
    ),
    "fixed_heading": ("Fixed since the baseline", "自基线以来已修复"),
    "fixed_line": (
        "{file}: fixed since the baseline: {rule} [{requirement}] at {path}",
        "{file}：自基线以来已修复：{rule} [{requirement}]，{path}",
    ),
    # a shortened Markdown report
    "md_shortened": (
        "This report is shortened to fit in {limit} characters: it keeps the summary and each "
        "dossier's failed requirements with their worst findings.",
        "本报告已缩短至 {limit} 个字符以内：保留摘要，以及各申报资料未通过的要求及其最严重的问题。",
    ),
    "md_left_out": ("Left out: {items}.", "未列出：{items}。"),
    "md_left_sep": ("; ", "；"),
    "md_left_findings": ("{n} of {total} findings", "{total} 个问题中的 {n} 个"),
    "md_left_rows": (
        "{n} requirement matrix rows that did not fail",
        "要求符合性矩阵中未失败的 {n} 行",
    ),
    "md_left_dossiers": ("the failed requirements of {n} dossiers", "{n} 份申报资料的未通过要求"),
    "md_left_summary": ("{n} rows of the summary", "摘要表中的 {n} 行"),
    "md_left_errors": ("the list of {n} input errors", "{n} 个输入错误的列表"),
    "md_left_stale": ("{n} stale justifications", "{n} 条未对应任何问题的豁免说明"),
    "md_left_fixed": ("{n} findings fixed since the baseline", "{n} 个自基线以来已修复的问题"),
    "md_full_elsewhere": ("The full report: {files}.", "完整报告：{files}。"),
    "md_full_option": (
        "`cgt-check check` with `--markdown-full` writes the whole Markdown report.",
        "`cgt-check check` 加 `--markdown-full` 可输出完整的 Markdown 报告。",
    ),
    "md_more_findings": (
        "{n} more finding(s) of this requirement in the full report",
        "该要求另有 {n} 个问题，见完整报告",
    ),
    "failed_requirements": ("Failed requirements", "未通过的要求"),
    # the workbook
    "sheet_justifications": ("Justifications", "豁免说明"),
    "verdict_at_gate": ("Verdict at --fail-on {fail_on}", "结论（--fail-on {fail_on}）"),
    "gate_fails": ("fails", "不通过"),
    "gate_passes": ("passes", "通过"),
    "gate": ("Gate", "判定阈值"),
    "total_count": ("Total ({n})", "合计（{n}）"),
    "input_errors_count": ("Input errors: {n}", "输入错误：{n}"),
    "gate_value": ("--fail-on {fail_on}", "--fail-on {fail_on}"),
    "language": ("Language", "语言"),
    "language_value": ("English", "中文"),
    "rule_selection": ("Rule selection", "规则选择"),
    "every_rule": ("every rule", "全部规则"),
    "failed_severity": ("failed: {severity}", "未通过：{severity}"),
    "file": ("File", "文件"),
    "line": ("Line", "行"),
    "column": ("Column", "列"),
    "title": ("Title", "标题"),
    "description": ("Description", "说明"),
    "tags": ("Tags", "标签"),
    "owner": ("Owner", "负责人"),
    "response": ("Response", "回复"),
    "review_status": ("Review status", "处理状态"),
    "baseline_new": ("new", "新增"),
    "baseline_unchanged": ("in the baseline", "已在基线中"),
    "target": ("Rule or requirement", "规则或要求"),
    "approved_by": ("Approved by", "批准人"),
    "approved_on": ("Approved on", "批准日期"),
    "expires": ("Expires", "有效期至"),
    "expired": ("expired", "已过期"),
    "stale": ("covers no finding", "未对应任何问题"),
    "fixed": ("fixed", "已修复"),
    "requirement_title": ("Requirement title", "要求名称"),
}
