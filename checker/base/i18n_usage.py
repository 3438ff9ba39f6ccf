"""Click's own words for a command line it cannot parse (an unknown option, a value not among the
choices, a missing argument), in English as click writes them and in Chinese. The English text of
each key is click's template, by which `checker.cli.usage` recognises what click said; the keys are
in the order they are tried, the more specific first. Part of the one table of `checker.base.i18n`
(see `checker.base.i18n_input`)."""

from __future__ import annotations

USAGE: dict[str, tuple[str, str]] = {
    # The frame of every usage error.
    "click_usage": ("Usage: {usage}", "用法: {usage}"),
    "click_try_help": ("Try '{command} {option}' for help.", "运行 '{command} {option}' 查看帮助。"),
    "click_error": ("Error: {message}", "错误: {message}"),
    # Suggestions after an unknown option or command.
    "click_did_you_mean_any": (
        "{message} (Did you mean one of: {possibilities}?)",
        "{message}（是否应为以下之一：{possibilities}？）",
    ),
    "click_did_you_mean": ("{message} Did you mean {possibility}?", "{message}是否应为 {possibility}？"),
    # What was wrong.
    "click_bad_value_for": ("Invalid value for {param}: {message}", "{param} 的值无效：{message}"),
    "click_bad_value": ("Invalid value: {message}", "值无效：{message}"),
    "click_missing_argument": ("Missing argument {param}.", "缺少参数 {param}。"),
    "click_missing_option": ("Missing option {param}.", "缺少选项 {param}。"),
    "click_missing_parameter": ("Missing parameter {param}.", "缺少参数 {param}。"),
    "click_missing_command": ("Missing command.", "缺少命令。"),
    "click_no_such_option": ("No such option {name}.", "没有选项 {name}。"),
    "click_no_such_option_old": ("No such option: {name}", "没有选项 {name}"),
    "click_no_such_command": ("No such command {name}.", "没有命令 {name}。"),
    "click_needs_value": ("Option {name} requires an argument.", "选项 {name} 需要一个值。"),
    "click_needs_values": ("Option {name} requires {n} arguments.", "选项 {name} 需要 {n} 个值。"),
    "click_takes_no_value": ("Option {name} does not take a value.", "选项 {name} 不接受值。"),
    "click_argument_values": ("Argument {name} takes {n} values.", "参数 {name} 需要 {n} 个值。"),
    "click_extra_argument": ("Got unexpected extra argument ({args})", "多余的参数（{args}）。"),
    "click_extra_arguments": ("Got unexpected extra arguments ({args})", "多余的参数（{args}）。"),
    "click_not_choices": ("{value} is not one of {choices}.", "{value} 不是可选的值 {choices} 之一。"),
    "click_not_integer_range": ("{value} is not a valid integer range.", "{value} 不是有效的整数。"),
    "click_not_integer": ("{value} is not a valid integer.", "{value} 不是有效的整数。"),
    "click_not_float_range": ("{value} is not a valid float range.", "{value} 不是有效的数值。"),
    "click_not_float": ("{value} is not a valid float.", "{value} 不是有效的数值。"),
    "click_not_in_range": ("{value} is not in the range {range}.", "{value} 不在 {range} 范围内。"),
    "click_not_boolean": (
        "{value} is not a valid boolean. Recognized values: {states}",
        "{value} 不是有效的布尔值。可用的值：{states}",
    ),
    "click_not_iterable": ("Value must be an iterable.", "值应为列表。"),
}
