"""The texts of what is said about a rule file that cannot be compiled (a fact type, field, alias
or operator it names that does not exist, a value of the wrong kind, a comparison the engine cannot
make), about a pack the engine cannot take, about the engine's own refusals, and what
`cgt-check rules test`, `cgt-check init` and `cgt-check check --show-config` write, in English and
Chinese. Part of the one table of `checker.base.i18n` (this module only holds them).

Field names, fact types, aliases, operators and rule ids are written as the rule file has them,
in both languages."""

from __future__ import annotations

RULES: dict[str, tuple[str, str]] = {
    # the kinds of a fact's fields (checker.engine.facts.Kind), inside a compile error
    "field_kind_key": ("key", "id 字段"),
    "field_kind_ref": ("ref", "引用字段"),
    "field_kind_text": ("text", "文本字段"),
    "field_kind_enum": ("enum", "枚举字段"),
    "field_kind_bool": ("bool", "布尔字段"),
    "field_kind_number": ("number", "数值字段"),
    "field_kind_date": ("date", "日期字段"),
    "field_kind_object": ("object", "节（section）"),
    "field_kind_list": ("list", "列表字段"),
    # a rule's tests on one fact (checker.rulepack.conditions)
    "rc_unknown_fact": ("unknown fact type '{fact}'{hint}", "未知的事实类型 '{fact}'{hint}"),
    "rc_no_field": (
        "fact type '{fact}' has no field '{field}'{hint}",
        "事实类型 '{fact}' 没有字段 '{field}'{hint}",
    ),
    "rc_not_a_date": ("'{value}' is not a date (YYYY-MM-DD)", "'{value}' 不是日期（YYYY-MM-DD）"),
    "rc_expected_date": ("expected a date, got {got}", "应为日期，实际为 {got}"),
    "rc_not_one_of": ("'{value}' is not one of {values}{hint}", "'{value}' 不是以下取值之一：{values}{hint}"),
    "rc_expected_bool": ("expected true or false, got {got}", "应为 true 或 false，实际为 {got}"),
    "rc_expected_number": ("expected a number, got {got}", "应为数值，实际为 {got}"),
    "rc_number_bound": (
        "a number in a rule must be finite and at most {most}",
        "规则中的数值须为有限值，且绝对值不超过 {most}",
    ),
    "rc_expected_string": ("expected a string, got {got}", "应为文本，实际为 {got}"),
    "rc_text_bound": (
        "a text value in a rule may have at most {most} characters",
        "规则中的文本值最多 {most} 个字符",
    ),
    "rc_no_literal": (
        "a {kind} field cannot be compared with a literal value",
        "{kind}不能与字面值比较",
    ),
    "rc_list_presence": (
        "'{field}' is a list: test it with present or absent",
        "'{field}' 是列表：请用 present 或 absent 检查",
    ),
    "rc_section_presence": (
        "'{field}' is a section: test it with present or absent",
        "'{field}' 是节（section）：请用 present 或 absent 检查",
    ),
    "rc_one_operator": (
        "a test on '{field}' must have exactly one operator",
        "对 '{field}' 的检查须有且只有一个运算符",
    ),
    "rc_nonempty_list": ("'{op}' takes a non-empty list", "'{op}' 须跟一个非空列表"),
    "rc_unknown_operator": ("unknown operator '{op}'{hint}", "未知的运算符 '{op}'{hint}"),
    "rc_ordered_operator": (
        "'{op}' needs a number, a date or a stage; '{field}' is {kind}",
        "'{op}' 只能用于数值、日期或阶段；'{field}' 是{kind}",
    ),
    "rc_any_groups": (
        "'any' takes a list of two or more groups of tests",
        "'any' 须跟一个含两组或以上检查条件的列表",
    ),
    "rc_any_branch": ("each 'any' branch is a mapping of tests", "'any' 的每一组须为检查条件的映射"),
    # a rule's aliases, joins and report (checker.rulepack.compiler)
    "rc_alias_field": ("'{ref}' must be alias.field", "'{ref}' 应写成 别名.字段（alias.field）"),
    "rc_unknown_alias": ("unknown alias '{alias}'{hint}", "未知的别名 '{alias}'{hint}"),
    "rc_not_joinable": (
        "'{ref}' is a {kind} field; joins compare ids, references, numbers and dates",
        "'{ref}' 是{kind}；join 只能比较 id、引用、数值和日期",
    ),
    "rc_absent_not_joinable": (
        "'{field}' is a {kind} field and cannot be joined on",
        "'{field}' 是{kind}，不能用于 join",
    ),
    "rc_gap_where_alias": (
        "gap.where names unknown alias '{alias}'",
        "gap.where 引用了未知的别名 '{alias}'",
    ),
    "rc_report_at_alias": (
        "report.at names unknown alias '{alias}'",
        "report.at 引用了未知的别名 '{alias}'",
    ),
    "rc_alias_twice": (
        "alias '{alias}' is used twice or reserved",
        "别名 '{alias}' 重复使用或为保留名称",
    ),
    "rc_no_model_field": ("'{fact}' has no field '{field}'{hint}", "'{fact}' 没有字段 '{field}'{hint}"),
    "rc_placeholder_alias": (
        "placeholder '{placeholder}' names unknown alias '{alias}'",
        "占位符 '{placeholder}' 引用了未知的别名 '{alias}'",
    ),
    # a pack the engine cannot take (checker.rulepack.link)
    "rc_cycle": (
        "the rules' absence conditions cannot be ordered for the engine (a cycle among fact types "
        "{types}; rules {rules})",
        "规则的缺失条件无法为规则引擎排序（事实类型 {types} 之间存在循环；涉及规则 {rules}）",
    ),
    "rc_too_many_rules": (
        "a rule pack may hold at most {most} rules; this one has {n}",
        "一个规则包最多 {most} 条规则；本规则包有 {n} 条",
    ),
    "rc_too_many_tests": (
        "the rules make {n} distinct tests on '{fact}' facts; the engine handles at most {most} "
        "(merge rules that differ only in a value into one 'in' test)",
        "这些规则对 '{fact}' 事实共有 {n} 项不同的检查；规则引擎最多支持 {most} 项"
        "（请把只有取值不同的规则合并为一项 'in' 检查）",
    ),
    # what is wrong with a file of a rule pack, as a whole
    "rules_invalid_file": ("{file}: invalid rule file", "{file}：规则文件有误"),
    "rules_invalid_template": ("{file}: invalid template", "{file}：规则模板有误"),
    "rules_invalid_catalogue": ("{file}: invalid catalogue", "{file}：要求目录有误"),
    "rules_invalid_rules": ("{file}: invalid rules", "{file}：规则有误"),
    "rules_invalid_cases": ("invalid rule test cases", "规则测试用例有误"),
    "rules_invalid_case_file": ("{file}: invalid case file", "{file}：测试用例文件有误"),
    # a rule file's schema, for the kinds the dossier's words do not cover
    "rule_schema_any_of": (
        "expected one of these forms: {forms}, got {got}",
        "应为以下形式之一：{forms}，实际为 {got}",
    ),
    # the engine's own refusals (checker.engine.session, checker.engine.encode)
    "engine_cannot_load": (
        "the rule engine cannot be loaded: durable-rules' C extension (durable_rules_engine) failed "
        "to import ({detail}). It needs a C compiler and the Python headers when it is installed "
        "(see the README). Rebuild it with: {command}",
        "无法加载规则引擎：durable-rules 的 C 扩展（durable_rules_engine）导入失败（{detail}）。"
        "安装时需要 C 编译器和 Python 头文件（见 README）。请用以下命令重新构建：{command}",
    ),
    "engine_fired_too_often": (
        "the rule engine fired more than {most} times on this dossier, {n} of them for '{rule}'",
        "规则引擎在本申报资料上触发超过 {most} 次，其中 {n} 次来自 '{rule}'",
    ),
    "engine_refused_rules": (
        "the rule engine refused the compiled rules: {detail}",
        "规则引擎拒绝了编译后的规则：{detail}",
    ),
    "engine_session_closed": ("the engine session is closed", "规则引擎会话已关闭"),
    "engine_batch_too_large": (
        "the dossier's data ({n} characters) is more than the rule engine accepts",
        "申报资料的数据（{n} 个字符）超过规则引擎能接受的大小",
    ),
    "engine_fact_too_wide": (
        "a {fact} item has more than {most} fields, more than the rule engine accepts in one fact",
        "一个 {fact} 项的字段超过 {most} 个，超过规则引擎对单个事实能接受的数量",
    ),
    "engine_refused_facts": (
        "the rule engine refused the facts (code {code})",
        "规则引擎拒绝了这些事实（代码 {code}）",
    ),
    "engine_failed": ("the rule engine failed: {detail}", "规则引擎运行失败：{detail}"),
    "engine_incomplete": (
        "the rule engine did not process the whole batch",
        "规则引擎未处理完整批数据",
    ),
    "engine_number_too_large": (
        "a number is too large for the rule engine",
        "数值过大，规则引擎无法处理",
    ),
    "engine_number_not_finite": (
        "the rule engine cannot compare an infinite or undefined number",
        "规则引擎无法比较无穷大或未定义的数值",
    ),
    "engine_value_type": (
        "the rule engine cannot take a value of type {kind}",
        "规则引擎不能接受类型为 {kind} 的值",
    ),
    "engine_worker_stopped": (
        "a worker process stopped unexpectedly while checking; run with --jobs 1 to find the file",
        "检查时一个工作进程意外退出；请用 --jobs 1 重新运行以找出对应文件",
    ),
    # `cgt-check rules test` (checker.run.selftest)
    "selftest_pass": ("PASS {where} {name}", "通过 {where} {name}"),
    "selftest_fail": ("FAIL {where} {name}", "未通过 {where} {name}"),
    "selftest_missing": (
        "  missing finding: {requirement} {rule} at {path}",
        "  缺少预期的问题：{requirement} {rule}，位置 {path}",
    ),
    "selftest_unexpected": (
        "  unexpected finding: {requirement} {rule} at {path}",
        "  出现预期之外的问题：{requirement} {rule}，位置 {path}",
    ),
    "selftest_untested": (
        "WARN rule {rule} has no failing case",
        "警告 规则 {rule} 没有未通过的测试用例",
    ),
    "selftest_summary": (
        "{cases} case(s): {passed} passed, {failed} failed; {untested} rule(s) without a failing case",
        "测试用例 {cases} 个：通过 {passed} 个，未通过 {failed} 个；没有未通过用例的规则 {untested} 条",
    ),
    "selftest_no_base": (
        "no base dossier: give 'base' in the case or the file",
        "没有基础申报资料：请在用例或文件中填写 'base'",
    ),
    "selftest_cannot_build": (
        "cannot build the case's dossier: {reason}",
        "无法构建该用例的申报资料：{reason}",
    ),
    "selftest_invalid_dossier": (
        "the edited dossier is invalid: {message} (at {path})",
        "编辑后的申报资料无效：{message}（位置 {path}）",
    ),
    "selftest_the_top": ("the top", "顶层"),
    # a case's edit that does not fit its base dossier (checker.run.edits)
    "edit_not_a_list": ("{part}: not a list", "{part}：不是列表"),
    "edit_no_item": ("no item {part}", "没有项 {part}"),
    "edit_not_a_mapping": ("{part}: not a mapping", "{part}：不是映射"),
    "edit_no_key": ("no key {part}", "没有字段 {part}"),
    "edit_shape": (
        "an edit is one of {{delete: PATH}}, {{set: PATH, value: V}}, {{append: PATH, value: V}}: {edit}",
        "编辑须为以下之一：{{delete: PATH}}、{{set: PATH, value: V}}、{{append: PATH, value: V}}：{edit}",
    ),
    "edit_bad_path": (
        "{op}: the path must be a dossier path such as cmc.studies[cmc-stab], not {path}",
        "{op}：路径须为资料路径，例如 cmc.studies[cmc-stab]，而不是 {path}",
    ),
    "edit_no_value": ("{op} {path}: give a value", "{op} {path}：请给出 value"),
    "edit_does_not_fit": (
        "{op} {path}: does not fit the dossier ({detail})",
        "{op} {path}：与申报资料的结构不符（{detail}）",
    ),
    "edit_append_not_list": ("append {path}: not a list", "append {path}：不是列表"),
    # `cgt-check init` (checker.cli.init)
    "init_schema_to_write": (
        "init: the template's schema comment points to {schema}: write it next to the dossier with "
        "`cgt-check schema > {quoted}`, or give --schema URL",
        "init：模板的 schema 注释指向 {schema}：请用 `cgt-check schema > {quoted}` 将其写在申报资料旁，"
        "或给出 --schema URL",
    ),
    "init_schema_written": (
        "init: wrote {schema}, the dossier schema the template's schema comment points to",
        "init：已写入 {schema}，即模板的 schema 注释所指向的申报资料 schema",
    ),
    "init_schema_no_directory": (
        "init: the template's schema comment points to {schema}, whose directory does not exist: "
        "write it with `cgt-check schema > {quoted}`",
        "init：模板的 schema 注释指向 {schema}，但其所在目录不存在：请用 `cgt-check schema > {quoted}` 写入",
    ),
    # `cgt-check check --show-config` (checker.run.settings)
    "show_config_line": ("{name} {value}  [{source}]", "{name} {value}  [{source}]"),
    "show_config_none": ("(none)", "（无）"),
    "show_config_today": ("(today)", "（今天）"),
    "show_config_stdout": ("- (standard output)", "-（标准输出）"),
    "show_config_command_line": ("command line", "命令行"),
    "show_config_default": ("default", "默认值"),
}
