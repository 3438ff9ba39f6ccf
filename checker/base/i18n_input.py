"""The texts of what is said about input files and command lines, in English and Chinese (the
CDE's terms): how a located problem is written, what a value should have been, the dossier's
consistency, the other input files, usage errors and the command line's notices. They are part of
the one table of `checker.base.i18n` (this module and `checker.base.i18n_reading` only hold
them), read through its `Message`s.

Field values are written as the input has them (keys, ids, values, paths), in both languages."""

from __future__ import annotations

INPUT: dict[str, tuple[str, str]] = {
    # how a problem or an error is written
    "problem": ("{where}: error: {message}", "{where}: 错误: {message}"),
    "problem_at": ("{where}: error at {path}: {message}", "{where}: 错误 {path}: {message}"),
    "error_line": ("error: {message}", "错误: {message}"),
    "verbatim": ("{text}", "{text}"),
    "with_hint": ("{message}; {hint}", "{message}；{hint}"),
    "did_you_mean": (" (did you mean '{name}'?)", "（是否应为 '{name}'？）"),
    "interrupted": ("interrupted", "已中断"),
    # a report's cover: --title, --client, --logo
    "cover_text_too_long": (
        "--{option} is {length} characters long; at most {limit} are allowed",
        "--{option} 长 {length} 个字符，最多允许 {limit} 个",
    ),
    "logo_svg": (
        "an SVG logo is refused: an SVG can carry scripts and links; convert it to PNG",
        "不接受 SVG 标志：SVG 可能包含脚本和链接；请转换为 PNG",
    ),
    "logo_not_image": (
        "the logo is not a PNG or JPEG image (judged by its content, not its name)",
        "标志不是 PNG 或 JPEG 图片（按文件内容判断，而非文件名）",
    ),
    "logo_bad_png": (
        "the logo is not a well-formed PNG of at most {limit} × {limit} pixels",
        "标志不是格式正确且不超过 {limit} × {limit} 像素的 PNG 图片",
    ),
    # what a value should have been (validation against the dossier's model, a rule file's, ...)
    "more_problems": (
        "{more} more problem(s) in this file not shown (at most {limit} are reported per file)",
        "此文件另有 {more} 个问题未列出（每个文件最多报告 {limit} 个）",
    ),
    "got_list": ("a list", "列表"),
    "got_mapping": ("a mapping", "映射"),
    "got_scalar": ("a single value", "单个值"),
    "missing_field": ("missing required field '{field}'", "缺少必填字段 '{field}'"),
    "missing_value": ("missing required field", "缺少必填字段"),
    "unknown_key": (
        "unknown key '{key}'{hint}; allowed here: {keys}",
        "未知字段 '{key}'{hint}；此处可用的字段：{keys}",
    ),
    "unknown_key_bare": ("unknown key '{key}'{hint}", "未知字段 '{key}'{hint}"),
    "unknown_key_odd_space": (
        "unknown key '{key}' written after {what}, which YAML does not take as indentation; indent "
        "with ordinary spaces",
        "未知字段 '{key}'：其前面是{what}，YAML 不将其视为缩进；请改用半角空格缩进",
    ),
    "expected_bool": ("expected true or false, got {got}", "应为 true 或 false，实际为 {got}"),
    "expected_text": ("expected text, got {got}", "应为文本，实际为 {got}"),
    "quote_to_keep_text": (
        "{message}; put it in quotes to keep it as text",
        "{message}；如需作为文本，请加引号",
    ),
    "expected_integer": ("expected a whole number, got {got}", "应为整数，实际为 {got}"),
    "expected_number": ("expected a number, got {got}", "应为数值，实际为 {got}"),
    "expected_finite": ("expected a finite number, got {got}", "应为有限的数值，实际为 {got}"),
    "expected_list": ("expected a list, e.g. {example}, got {got}", "应为列表，例如 {example}，实际为 {got}"),
    "expected_items": (
        "expected a list of items, each starting with '- ' on a line of its own, got {got}",
        "应为列表，每一项单独一行、以 '- ' 开头，实际为 {got}",
    ),
    "expected_mapping": (
        "expected a mapping of keys and values (allowed keys: {keys}), got {got}",
        "应为“字段: 值”形式的映射（可用的字段：{keys}），实际为 {got}",
    ),
    "expected_mapping_plain": (
        "expected a mapping of keys and values (key: value), got {got}",
        "应为“字段: 值”形式的映射，实际为 {got}",
    ),
    "expected_one_of": (
        "expected one of {options}, got {got}{hint}",
        "应为以下之一：{options}，实际为 {got}{hint}",
    ),
    "expected_value": ("expected {option}, got {got}{hint}", "应为 {option}，实际为 {got}{hint}"),
    "write_as_string": ("; write it as a string: '{text}'", "；请写成带引号的文本：'{text}'"),
    "ctcae_grade_5_not_fatal": (
        "CTCAE grade 5 is death related to the event, but the outcome is '{outcome}': write outcome: fatal, or the grade the event reached",
        "CTCAE 5级即与事件相关的死亡，但 outcome 为“{outcome}”：请填写 outcome: fatal，或填写事件实际达到的分级",
    ),
    "approval_basis_one_study": (
        "name one study the approval rests on: either trial (a clinical_trials id) or foreign_study (a foreign_studies id)",
        "请指明批准所依据的一项研究：trial（clinical_trials 的 id）或 foreign_study（foreign_studies 的 id），二者选其一",
    ),
    "expected_date": ("expected a date YYYY-MM-DD, got {got}", "应为 YYYY-MM-DD 格式的日期，实际为 {got}"),
    "not_a_date": (
        "not a calendar date: {got} (YYYY-MM-DD, the month 01-12 and the day within it)",
        "不是有效的日期：{got}（格式为 YYYY-MM-DD，月份为 01-12，日须在当月天数之内）",
    ),
    "expected_id": (
        "expected an id (ASCII letters A-Z and a-z, digits, '.', '_' and '-', starting with a letter "
        "or digit, at most 64 characters), got {got}",
        "应为 id（由 ASCII 字母 A-Z 和 a-z、数字、'.'、'_' 和 '-' 组成，以字母或数字开头，最多 64 个"
        "字符），实际为 {got}",
    ),
    "expected_pattern": (
        "expected text matching {pattern}, got {got}",
        "应为符合格式 {pattern} 的文本，实际为 {got}",
    ),
    "expected_dossier_path": (
        "expected a dossier path on one line, not starting with a space, e.g. indications[lbcl-3l], "
        "got {got}",
        "应为写在一行内、不以空白开头的资料路径，例如 indications[lbcl-3l]，实际为 {got}",
    ),
    "text_empty": ("expected text, got an empty value", "应填写文本，实际为空"),
    "text_blank": ("expected text, got only spaces", "应填写文本，实际只有空白"),
    "text_too_short": (
        "expected at least {limit} characters, got {n}",
        "应至少有 {limit} 个字符，实际为 {n} 个",
    ),
    "text_too_long": (
        "text too long: at most {limit} characters, got {n}",
        "文本过长：最多 {limit} 个字符，实际为 {n} 个",
    ),
    "list_too_short": ("expected at least {limit} item(s), got {n}", "应至少有 {limit} 项，实际为 {n} 项"),
    "list_too_long": ("expected at most {limit} item(s), got {n}", "最多 {limit} 项，实际为 {n} 项"),
    "greater_than": (
        "expected a number greater than {limit}, got {got}",
        "应为大于 {limit} 的数值，实际为 {got}",
    ),
    "greater_than_equal": ("expected {limit} or more, got {got}", "应大于或等于 {limit}，实际为 {got}"),
    "less_than": ("expected a number less than {limit}, got {got}", "应为小于 {limit} 的数值，实际为 {got}"),
    "less_than_equal": ("expected {limit} or less, got {got}", "应小于或等于 {limit}，实际为 {got}"),
    "invalid_value": ("invalid value ({detail}), got {got}", "取值无效（{detail}），实际为 {got}"),
    # the dossier as a whole, and across its items
    "dossier_empty": (
        "the file is empty: a dossier is a mapping with schema_version and product",
        "文件为空：申报资料应为包含 schema_version 和 product 的映射",
    ),
    "dossier_not_mapping": (
        "the top level is {kind}: a dossier is a mapping with schema_version and product",
        "顶层是{kind}：申报资料应为包含 schema_version 和 product 的映射",
    ),
    "duplicate_id": ("duplicate id '{id}' (also the id of {first})", "id '{id}' 重复（{first} 也使用此 id）"),
    "unknown_reference": (
        "'{value}' is not the id of an item in {target}{hint}",
        "'{value}' 不是 {target} 中任何一项的 id{hint}",
    ),
    "known_ids": ("; known: {ids}{more}", "；已有的 id：{ids}{more}"),
    "ids_in_all": (", ... ({n} in all)", "……（共 {n} 个）"),
    "format_field": (
        '{field} is a format {version} field: it needs schema_version: "{version}" (this dossier is {reading})',
        '{field} 是 {version} 格式的字段：需要 schema_version: "{version}"（本申报资料为 {reading} 格式）',
    ),
    "format_value": (
        "'{value}' is a format {version} value of {field}: it needs schema_version: \"{version}\" (this "
        "dossier is {reading}; in {reading} write other)",
        "'{value}' 是 {field} 在 {version} 格式中的取值：需要 schema_version: \"{version}\"（本申报资料为 "
        "{reading} 格式；{reading} 格式中请写 other）",
    ),
    "lineage_cycle": (
        "derived_from goes round: {chain}; a starting material cannot be made from itself",
        "derived_from 形成循环：{chain}；起始原材料不能由其自身制得",
    ),
    "due_before_approval": (
        "due date {due} is before the indication's approval date {approved}",
        "完成时限 {due} 早于该适应症的批准日期 {approved}",
    ),
    "approved_without_approval": (
        "an indication at stage 'approved' needs its 'approval' (type and date)",
        "阶段为 'approved' 的适应症须填写 'approval'（批准类型和日期）",
    ),
    "approval_not_approved": (
        "'approval' is given but the stage is '{stage}', not 'approved'",
        "填写了 'approval'，但阶段为 '{stage}'，不是 'approved'",
    ),
    "rule_or_requirement": (
        "give exactly one of 'rule' or 'requirement'",
        "'rule' 和 'requirement' 须且只须填写其中一个",
    ),
    # other input files: configurations, justifications, baselines, rule files and their cases
    "unknown_format": ("unknown format '{name}'{hint}", "未知的格式 '{name}'{hint}"),
    "invalid_toml": ("invalid TOML: {detail}", "TOML 格式错误：{detail}"),
    "unknown_option": ("unknown option{hint}", "未知选项{hint}"),
    "config_option": ("{option}: {message}", "{option}: {message}"),
    "no_config_section": (
        "no [tool.cgt-check] section (or the file cannot be read)",
        "没有 [tool.cgt-check] 配置节（或无法读取该文件）",
    ),
    "config_not_mapping": (
        "{prefix}must be a mapping of options",
        "{prefix}应为选项的映射（每行一个“选项: 值”）",
    ),
    "justification_file_shape": (
        "a justification file is a mapping with a 'justifications:' list",
        "豁免说明文件应为包含 'justifications:' 列表的映射",
    ),
    "justified_unknown_rule": (
        "justification names unknown rule '{rule}'{hint}",
        "豁免说明引用了不存在的规则 '{rule}'{hint}",
    ),
    "justified_unknown_requirement": (
        "justification names unknown requirement '{requirement}'{hint}",
        "豁免说明引用了不存在的要求 '{requirement}'{hint}",
    ),
    "not_a_baseline": ("not a cgt-check baseline: {message}", "不是 cgt-check 基线文件：{message}"),
    "baseline_version": (
        "baseline_version {version}: this checker reads '{supported}'",
        "baseline_version 为 {version}：本工具只能读取 '{supported}'",
    ),
    "cannot_write_stdout": (
        "cannot write to standard output: {reason}",
        "无法写入标准输出：{reason}",
    ),
    "stdout_closed": ("standard output was closed by its reader", "标准输出已被读取方关闭"),
    "case_base_outside": (
        "base dossier '{name}' is outside the rule pack ({pack}): a case reads only a dossier of "
        "its own pack or a bundled example",
        "基础申报资料 '{name}' 不在规则包（{pack}）之内：测试用例只能读取本规则包内的申报资料或内置示例",
    ),
    "case_base_unknown": (
        "base dossier '{name}' is neither a bundled example's name nor a .yaml file of the pack",
        "基础申报资料 '{name}' 既不是内置示例的名称，也不是本规则包内的 .yaml 文件",
    ),
    "no_test_cases": (
        "no test cases: add them as cases/*.yaml in this directory",
        "没有测试用例：请在此目录下以 cases/*.yaml 添加",
    ),
    "rules_not_directory": (
        "not a directory: give the directory that holds the rule files",
        "不是目录：请给出存放规则文件的目录",
    ),
    "rules_not_found": ("rule directory not found", "找不到规则目录"),
    "rules_cannot_read": ("cannot read rule directory: {reason}", "无法读取规则目录：{reason}"),
    "rules_none": (
        "no *.yaml or *.yml rule files in this directory",
        "此目录中没有 *.yaml 或 *.yml 规则文件",
    ),
    "rule_compile": ("rule '{rule}': {detail}", "规则 '{rule}' 无法编译：{detail}"),
    "rule_link": ("{detail}", "规则包无法交给规则引擎：{detail}"),
    "rule_schema": ("{detail}", "不符合规则文件的格式：{detail}"),
    "duplicate_rule": (
        "duplicate rule id '{rule}' (first defined at {where})",
        "规则 id '{rule}' 重复（首次定义于 {where}）",
    ),
    "unknown_requirement": ("unknown requirement '{requirement}'{hint}", "未知的要求 '{requirement}'{hint}"),
    "unknown_source": (
        "unknown source '{source}'; known: {known}",
        "未知的依据来源 '{source}'；已有：{known}",
    ),
    # the command line: usage errors and notices
    "did_you_mean_any": ("; did you mean {names}?", "；是否应为 {names}？"),
    "no_such_rule": (
        "no rule or requirement '{ident}'{hint} (see: cgt-check rules list)",
        "没有规则或要求 '{ident}'{hint}（参见：cgt-check rules list --lang zh）",
    ),
    "selects_nothing": (
        "{option} {pattern}: matches no rule id, requirement id or tag{hint}",
        "{option} {pattern}：不匹配任何规则 id、要求 id 或标签{hint}",
    ),
    "selects_no_rule": (
        "--select/--ignore leave no rule to run",
        "按 --select/--ignore 筛选后没有可运行的规则",
    ),
    "config_and_no_config": (
        "give --config FILE or --no-config, not both",
        "--config FILE 与 --no-config 只能给出其一",
    ),
    "as_of_not_a_date": (
        "--as-of: '{value}' is not a valid date (YYYY-MM-DD)",
        "--as-of：'{value}' 不是有效的日期（YYYY-MM-DD）",
    ),
    "no_paths": (
        "give at least one PATH (a dossier file, a directory, or - for standard input)",
        "请至少给出一个 PATH（申报资料文件、目录，或以 - 表示标准输入）",
    ),
    "cache_key_short": (
        "{name} has {n} character(s): a key the cache is sealed under needs at least {least}"
        " (or leave it unset, or use --no-cache)",
        "{name} 只有 {n} 个字符：用于封缄缓存的密钥至少需要 {least} 个字符（或不设置该变量，或使用 --no-cache）",
    ),
    "cannot_write": ("cannot write {path}: {reason}", "无法写入 {path}：{reason}"),
    "standard_input": ("standard input", "标准输入"),
    "output_is_input": (
        "--output {output} is {name}, one of the files this run reads: write the report elsewhere",
        "--output {output} 是{name}，即本次运行读取的文件之一：请将报告写到别处",
    ),
    "formats_need_outputs": (
        "{n} formats need {n} --output files, one per --format, in order",
        "{n} 种格式需要 {n} 个 --output 文件，与 --format 一一对应、顺序一致",
    ),
    "formats_outputs_differ": (
        "{formats} --format and {outputs} --output: give one --output per --format, in order",
        "{formats} 个 --format 与 {outputs} 个 --output：每个 --format 须对应一个 --output，顺序一致",
    ),
    "one_format_to_stdout": (
        "only one format can go to standard output, not {formats}",
        "只能有一种格式写到标准输出，不能是 {formats}",
    ),
    "same_output": ("two formats would write the same file: {files}", "两种格式将写入同一个文件：{files}"),
    "init_exists": (
        "{output} exists: init never overwrites a file",
        "{output} 已存在：init 不会覆盖已有文件",
    ),
    "progress_files": ("{done}/{total} files", "{done}/{total} 个文件"),
    "baseline_written": (
        "{output}: {findings} finding(s) of {dossiers} dossier(s)",
        "{output}：已记录 {dossiers} 份申报资料的 {findings} 个问题",
    ),
}
