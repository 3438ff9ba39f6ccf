"""The command line's --help in Chinese (`checker.cli.helptext`): each command's help, keyed by
its path without the program's name (`cgt-check` for the program itself), and each option's,
keyed `command:name` (the option's parameter name; `help` is click's --help). The English is the
commands' own docstrings and `help=` texts; a test holds the two tables to the same keys. A line
that is only `\\b` keeps the paragraph after it as written (click's convention); other paragraphs
are wrapped by display width."""

from __future__ import annotations

# The words of the help's layout.
HELP_WORDS: dict[str, str] = {
    "usage": "用法：",
    "options": "选项：",
    "commands": "命令：",
    "default": "默认：",
    "env_var": "环境变量：",
    "required": "必填",
}

# Defaults shown in words (click's show_default text), in Chinese.
HELP_DEFAULTS: dict[str, str] = {
    "(0: one per core)": "（0：每个 CPU 核心一个进程）",
}

HELP: dict[str, str] = {
    "cgt-check": "对照中国药品审评中心（CDE）的要求，检查细胞和基因治疗（CGT）产品申报资料（YAML）。\n\n\b\n退出码：0 没有不低于 --fail-on 级别的问题；1 有不低于该级别的问题；\n2 用法错误、输入无法读取或无效、规则文件有误，或无法写入标准输出；\n130 已中断；141 标准输出被其读取方关闭（| head）；\n143 被 SIGTERM 终止，129 被 SIGHUP 终止\n（工作进程也一并终止）。",
    "cgt-check:version": "显示版本号并退出。",
    "check": '检查申报资料文件，或在目录中查找 *.yaml 和 *.yml 文件进行检查；"-" 表示从标准输入读取一份申报资料。\n\n\b\n示例：\n  cgt-check check dossier.yaml\n  cgt-check check dossiers/ --lang zh --as-of 2026-01-01\n  cgt-check check dossiers/ -f sarif -o report.sarif -f html -o report.html -f text -o -\n  cgt-check check - --rules house-rules/ < dossier.yaml',
    "check:formats": "输出格式（默认：text）。可重复指定，每个格式各配一个 --output，即可在一次运行中写出多份报告：text：每个问题一行（file:line:col），最后是摘要；json：完整报告（schemas/report.schema.json）；sarif：用于代码扫描的 SARIF 2.1.0（GitHub、GitLab、IDE）；junit：JUnit XML：每份申报资料的每项要求对应一个测试用例，达到 --fail-on 级别即判为失败；github：GitHub Actions 工作流命令（注解）；markdown：用于拉取请求（pull request）评论和 wiki 的 Markdown（除非指定 --markdown-full，最多 65,536 个字符）；html：自包含的 HTML 报告，可按 A4 打印；xlsx：用于逐项处理问题的 Excel 工作簿（需安装 xlsx 可选依赖）。",
    "check:outputs": "将报告写入 FILE（以原子方式写入），而不是标准输出；每个 --format 对应一个，顺序相同；'-' 表示标准输出。",
    "check:markdown_full": "输出完整的 Markdown 报告，不论长度（默认情况下，报告若超过 GitHub 评论所能容纳的 65,536 个字符，则只保留摘要和未通过的要求，并说明省略了哪些内容）。",
    "check:fail_on": "使退出码为 1 的最低严重程度（也是判为 JUnit 失败的最低严重程度；低于该级别的问题仅报告、不判为失败）。",
    "check:as_of": "日期类规则所用的检查日期（默认：今天）。如需可重现的报告，请固定此日期。",
    "check:lang": "报告和消息的语言：英文或中文（采用 CDE 术语；英文依据按英文原文引述）。",
    "check:justification_files": "豁免说明文件，记录接受而不整改的问题的豁免理由，作为各申报资料自身 justifications: 节之外的补充（见 `cgt-check schema --kind justifications`）。可重复指定。",
    "check:no_justifications": "忽略全部豁免说明：即审计视角，所有问题均按发现时的原样判为失败。",
    "check:baseline_file": "只对不在此基线中的问题判为失败（基线由 `cgt-check baseline create` 生成）；问题按规则、文件和资料路径匹配，从不按行号匹配。",
    "check:select": "只运行与 PATTERN 匹配的规则：规则 id、要求 id、标签（如 ind、post-marketing、car-t），或它们的通配模式（CGT-PM-*）。可重复指定；也可写成逗号分隔的列表。",
    "check:ignore": "不运行与 PATTERN 匹配的规则（写法同 --select）。",
    "check:config_file": "从 FILE 读取选项，而不是从工作目录及其上级目录中最近的 .cgt-check.yaml 或 pyproject.toml [tool.cgt-check] 读取。",
    "check:no_config": "不读取任何配置文件。",
    "check:show_config": "显示生效的各项选项及其各自的来源，然后退出。",
    "check:rule_dirs": "一个存放自定义规则文件的目录，其中的规则将添加到内置规则包中（可重复指定）。",
    "check:max_file_size": "可读取的申报资料文件的最大大小（字节）；超过此大小的文件视为输入错误。",
    "check:jobs": "处理多个文件时使用的工作进程数（不超过 CPU 核心数，也不超过每 4 个文件一个）；问题及其顺序不受此设置影响。使用 --rules 时，规则引擎始终在工作进程中运行，这样即使某条自定义规则导致引擎崩溃，也只会中止其崩溃时所检查的那份申报资料。SIGTERM 或 SIGHUP 会在终止本次运行的同时终止工作进程（退出码 143、129）。",
    "check:quiet": "不显示进度条，也不显示申报资料格式提示（二者都只在终端中显示）。",
    "check:no_cache": "重新构建规则包和申报资料校验器，并逐一检查每个文件，不使用缓存（缓存中还保存着自上次检查以来未改动的各文件的检查结果）。",
    "check:title": "HTML 报告封面上的标题（默认：报告自带的标题）。",
    "check:client": "报告的委托方（报告为谁编写），显示在 HTML 报告封面上。",
    "check:logo_file": "嵌入 HTML 报告封面的 PNG 或 JPEG 图片（最大 1 MB；不接受 SVG）。",
    "init": "按产品类型和阶段生成一份带注释的申报资料模板。\n\n该模板符合 schema。检查该模板会列出每一处尚待填写的缺陷，并标明各自所在的行；标为 TODO 的值（各项名称，以及已批准上市阶段的批准类型和日期）是需要替换的占位值：检查工具无法将其与真实值区分开来。\n\n模板的第一行让编辑器（yaml-language-server）找到申报资料的 schema。使用 --output 时，schema 会写在模板旁边，除非该位置已有文件；输出到标准输出时，请自行写出 schema（`cgt-check schema > dossier.schema.json`）或给出 --schema URL。\n\n\b\n示例：\n  cgt-check init --modality car-t --stage nda-under-review -o dossier.yaml",
    "init:modality": "产品类型。",
    "init:stage": "产品（首个）适应症所处的研发阶段。",
    "init:schema_ref": "yaml-language-server 注释让编辑器找到的 JSON Schema：可以是相对于模板的路径（使用 --output 时，除非该位置已有文件，否则会将 schema 写到该处），也可以是 URL。",
    "init:output": "将模板写入 FILE（绝不覆盖已有文件），而不是标准输出。",
    "init:as_of": "在需要检查日期之处写入的日期。",
    "init:lang": "输出到标准错误的消息所用的语言：英文或中文。",
    "migrate": "将 1.0 格式的申报资料改写为 2.0 格式：可以是文件，也可以是目录（按 check 的方式在其中查找 *.yaml 和 *.yml 文件）。\n\n注释、字段顺序、引号和排版均保持不变，不会丢失任何值。可以推断的内容会自动填入（根据写明了终点的 measure，如 \"overall response rate\" 或 \"ORR\"，填入编码的主要终点；以及每份说明书覆盖的适应症）；无法推断的内容留给作者处理，并以开头为 'cgt-check migrate' 的注释标出。每条提示和待补充事项都会列在标准错误上，并注明其在迁移后文件中的所在行。已是 2.0 格式的文件保持原样。\n\n不使用 --write 时，输出迁移后的申报资料（多个文件依次输出，每个文件前有一行 '---'），不修改任何文件；使用 --write 时，每个文件都替换为其迁移结果，并保留原有的编码（UTF-8，带或不带字节顺序标记）和换行符。\n\n\b\n退出码：0 所有文件均已迁移或已是最新格式；2 有文件无法读取、不是申报资料\n或不是有效的申报资料（不会为其写入任何内容），或用法错误。\n\n\b\n示例：\n  cgt-check migrate dossier.yaml > dossier-2.0.yaml\n  cgt-check migrate --write dossiers/*.yaml",
    "migrate:write": "就地改写每个文件（以原子方式写入），而不是输出结果。",
    "migrate:lang": "消息以及文件中所留注释的语言。",
    "migrate:max_file_size": "可读取的申报资料文件的最大大小（字节）；超过此大小的文件视为输入错误。",
    "baseline": "记录当前的问题，使检查只对新问题判为失败。",
    "baseline create": "将 PATH... 中的问题写入基线文件。\n\n运行此命令以及之后运行 `cgt-check check --baseline FILE` 时，应在同一目录下使用相同的路径：问题以规则、文件（按给出时的写法）和资料路径为键。此命令读取的配置文件与 check 相同（规则包、规则选择、豁免说明、检查日期）。写入成功时退出码为 0；有输入无效时为 2（此时不写入基线）。",
    "baseline create:output": "要写入的基线文件（JSON）。",
    "baseline create:as_of": "日期类规则所用的检查日期（默认：今天）。如需可重现的报告，请固定此日期。",
    "baseline create:justification_files": "豁免说明文件，记录接受而不整改的问题的豁免理由，作为各申报资料自身 justifications: 节之外的补充（见 `cgt-check schema --kind justifications`）。可重复指定。",
    "baseline create:rule_dirs": "一个存放自定义规则文件的目录，其中的规则将添加到内置规则包中（可重复指定）。",
    "baseline create:select": "只运行与 PATTERN 匹配的规则：规则 id、要求 id、标签（如 ind、post-marketing、car-t），或它们的通配模式（CGT-PM-*）。可重复指定；也可写成逗号分隔的列表。",
    "baseline create:ignore": "不运行与 PATTERN 匹配的规则（写法同 --select）。",
    "baseline create:config_file": "从 FILE 读取选项，而不是从工作目录及其上级目录中最近的 .cgt-check.yaml 或 pyproject.toml [tool.cgt-check] 读取。",
    "baseline create:no_config": "不读取任何配置文件。",
    "baseline create:lang": "报告和消息的语言：英文或中文（采用 CDE 术语；英文依据按英文原文引述）。",
    "rules": "说明规则清单。",
    "rules list": "列出所有规则及其对应的要求和严重程度。",
    "rules list:fmt": "markdown：规则参考文档（docs/rules.md 即为此输出）。",
    "rules list:lang": "说明和消息的语言：英文或中文（采用 CDE 术语）。",
    "rules list:rule_dirs": "另加一个存放自定义规则文件的目录，用法同 check（可重复指定）。",
    "rules test": "运行规则包自带的测试用例（DIR/cases/*.yaml）；未给出 DIR 时，运行内置规则包的测试用例。\n\n每个用例对一份基础申报资料进行编辑，并确切列明其应产生哪些问题。所有用例均通过时退出码为 0，有用例未通过时为 1，测试用例文件或规则文件有误时为 2。",
    "rules test:lang": "结果（PASS/FAIL 行及计数）以及有关测试用例文件或规则文件有误的消息所用的语言：英文或中文。",
    "rules show": "说明一条规则，或某项要求下的所有规则。",
    "rules show:lang": "说明和消息的语言：英文或中文（采用 CDE 术语）。",
    "rules show:rule_dirs": "另加一个存放自定义规则文件的目录，用法同 check（可重复指定）。",
    "schema": "输出一个 JSON Schema（默认为申报资料格式的 schema）。",
    "schema:lang": "消息（写出 schema 时出错的消息）的语言；schema 本身在两种语言下相同：其描述在英文旁附有 CDE 的中文术语。",
    "lsp": "通过标准输入和标准输出运行申报资料的语言服务器。\n\n编辑器为 YAML 文件启动该服务器；它在编辑过程中检查属于申报资料的文件（依据 schema 注释、schema_version 字段或配置中的 `dossiers` 通配模式判断），使用的配置与 `check` 相同，并显示问题、悬停时显示规则说明，以及快速修复。需要 `lsp` 可选依赖：pip install 'cgt-checker[lsp]'。参见 docs/editors.md。",
    "lsp:lang": "诊断信息、悬停提示和快速修复的语言：英文或中文（采用 CDE 术语）。与 check 一样，此选项优先于配置中的 `lang`；客户端 initializationOptions 中的 `lang` 又优先于此选项。",
    "lsp:config_file": "使用配置文件 FILE 检查每份申报资料，而不是使用其所在目录及上级目录中最近的配置文件（客户端 initializationOptions 中的 `config` 优先于此选项）。",
    "help": "显示此帮助信息并退出。",
}
