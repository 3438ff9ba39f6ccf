"""The texts of what is said about a rule pack the engine cannot run safely (a bound of
`checker.base.limits` a rule goes past, an engine that stopped or refused a rule) and about a
run that ends on a signal, in English and Chinese. Part of the one table of `checker.base.i18n`
(this module only holds them)."""

from __future__ import annotations

ENGINE: dict[str, tuple[str, str]] = {
    # a rule past a bound (checker.rulepack.bounds), refused when its pack is loaded
    "bound_in_values": (
        "'{op}' lists {n} values; a test may list at most {most} (split it into several rules, or "
        "test a coded field)",
        "'{op}' 列出了 {n} 个值；一项检查最多列出 {most} 个（请拆分为多条规则，或检查编码字段）",
    ),
    "bound_any_branches": (
        "'any' has {n} groups; it may have at most {most}",
        "'any' 含 {n} 组条件；最多允许 {most} 组",
    ),
    "bound_any_depth": (
        "'any' is nested more than {most} levels deep",
        "'any' 嵌套超过 {most} 层",
    ),
    "bound_pattern_tests": (
        "these tests count {n} conditions (each 'in' value and 'any' group counted); one fact may be "
        "tested with at most {most}",
        "这些检查共计 {n} 个条件（'in' 的每个值、'any' 的每组均计入）；对一个事实最多检查 {most} 个条件",
    ),
    "bound_grouped": (
        "engine rule '{rule}' tests one fact with {n} expressions in 'any' groups of several tests "
        "(each test, group and 'any' counted); the engine holds at most {most} (use fewer groups, "
        "or an 'in' list, which is not limited so)",
        "引擎规则 '{rule}' 在含多项检查的 'any' 组中对一个事实使用了 {n} 个表达式（每项检查、每组及每个 "
        "'any' 均计入）；规则引擎最多支持 {most} 个（请减少组数，或改用不受此限的 'in' 列表）",
    ),
    "bound_alternatives": (
        "'applies_any' has {n} groups; a rule may have at most {most}",
        "'applies_any' 含 {n} 组；一条规则最多 {most} 组",
    ),
    "bound_patterns": (
        "the rule matches {n} facts ('applies', its largest 'applies_any' group and 'gap.match'); a "
        "rule may match at most {most}",
        "该规则匹配 {n} 个事实（'applies'、最大的 'applies_any' 组及 'gap.match'）；一条规则最多匹配 {most} 个",
    ),
    "bound_joins": (
        "the rule makes {n} comparisons ('applies_join' and 'gap.join'); a rule may make at most {most}",
        "该规则含 {n} 项比较（'applies_join' 与 'gap.join'）；一条规则最多 {most} 项",
    ),
    "bound_absent": (
        "'gap.absent' has {n} patterns; a rule may have at most {most}",
        "'gap.absent' 含 {n} 项；一条规则最多 {most} 项",
    ),
    "bound_absent_joins": (
        "this absence makes {n} comparisons; it may make at most {most}",
        "该缺失条件含 {n} 项比较；最多 {most} 项",
    ),
    "bound_placeholders": (
        "the message has {n} placeholders; it may have at most {most}",
        "该消息含 {n} 个占位符；最多允许 {most} 个",
    ),
    "bound_message": (
        "the message can grow to {n} characters once its placeholders are filled in; it may have at "
        "most {most}",
        "该消息填入占位符后最长可达 {n} 个字符；最多允许 {most} 个",
    ),
    "bound_matches": (
        "engine rule '{rule}' can hold {n} combinations of facts on a dossier with every list at its "
        "limit; a rule may hold at most {most} (compare the facts with a join, or make a fact the rule "
        "only needs to exist a 'gap.absent' or 'gap.match' that is not reported)",
        "引擎规则 '{rule}' 在各列表均达上限的申报资料上可产生 {n} 种事实组合；一条规则最多 {most} 种"
        "（请用 join 比较这些事实，或把只需存在的事实改写为 'gap.absent' 或不被报告的 'gap.match'）",
    ),
    "bound_pack_matches": (
        "the rules together can hold {n} combinations of facts on a dossier with every list at its "
        "limit; a pack may hold at most {most}",
        "这些规则在各列表均达上限的申报资料上合计可产生 {n} 种事实组合；一个规则包最多 {most} 种",
    ),
    # the engine in a child process (checker.run.contain)
    "engine_crashed": (
        "the rule engine stopped (signal {signal}) while checking this dossier with the custom "
        "rules: {culprit}; nothing was reported for it, the other dossiers are checked",
        "规则引擎在使用自定义规则检查本申报资料时异常终止（信号 {signal}）：{culprit}；本资料无检查结果，"
        "其余申报资料照常检查",
    ),
    "engine_slow": (
        "the rule engine did not finish checking this dossier in {seconds} s with the custom rules "
        "({culprit}); it was stopped, the other dossiers are checked",
        "规则引擎未能在 {seconds} 秒内用自定义规则（{culprit}）完成对本申报资料的检查，已被终止；"
        "其余申报资料照常检查",
    ),
    "engine_too_many_firings": (
        "the rules fired more than {most} times on this dossier, most of them rule '{rule}' "
        "({where}); nothing was reported for it (a rule whose facts combine without a condition "
        "that relates them fires once per combination: compare them with a join), the other "
        "dossiers are checked",
        "规则在本申报资料上触发超过 {most} 次，其中多数来自规则 '{rule}'（{where}）；本资料无检查结果"
        "（事实组合之间若无相互关联的条件，规则会对每种组合各触发一次：请用 join 比较这些事实），"
        "其余申报资料照常检查",
    ),
    # a custom pack's test case run in a child process (checker.run.casework)
    "case_engine_crashed": (
        "the rule engine stopped (signal {signal}) on this case; nothing was checked",
        "规则引擎在本测试用例上异常终止（信号 {signal}）；未完成检查",
    ),
    "case_engine_slow": (
        "the rule engine did not finish this case in {seconds} s; it was stopped",
        "规则引擎未能在 {seconds} 秒内完成本测试用例，已被终止",
    ),
    "engine_culprit_rule": (
        "rule '{rule}' ({where}) makes it stop",
        "规则 '{rule}'（{where}）导致其终止",
    ),
    "engine_culprit_rules": (
        "one of the rules {rules} makes it stop",
        "以下规则之一导致其终止：{rules}",
    ),
    "engine_build_refused": (
        "the rule engine refuses rule '{rule}': {detail}",
        "规则引擎拒绝规则 '{rule}'：{detail}",
    ),
    "engine_build_crashed": (
        "the rule engine stopped (signal {signal}) while building the rules: {culprit}",
        "规则引擎在构建规则时异常终止（信号 {signal}）：{culprit}",
    ),
    "engine_build_slow": (
        "the rule engine did not finish building the rules in {seconds} s ({culprit}); it was stopped",
        "规则引擎未能在 {seconds} 秒内完成规则构建（{culprit}），已被终止",
    ),
    "engine_worker_lost": (
        "a worker process checking this dossier stopped (exit {code}); the other dossiers are checked",
        "检查本申报资料的工作进程意外退出（退出码 {code}）；其余申报资料照常检查",
    ),
    # a run ended by a signal (SIGTERM, SIGHUP)
    "terminated": ("stopped by {signal}", "已被 {signal} 终止"),
}
