"""The texts of reading an input file, in English and Chinese: why a file cannot be read, its
encoding and characters, full-width punctuation typed for YAML's, and what the YAML and JSON
readers say. Part of the one table of `checker.base.i18n` (see `checker.base.i18n_input`).

A `parser_` key is one of the YAML parser's own phrases (libyaml's, or PyYAML's where it differs),
whose English text is the parser's words: the reader translates the phrases the table has."""

from __future__ import annotations

READING: dict[str, tuple[str, str]] = {
    # why a file cannot be read
    "os_no_such_file": ("no such file or directory", "文件或目录不存在"),
    "os_permission_denied": ("permission denied", "没有访问权限"),
    "os_is_a_directory": ("is a directory", "这是一个目录"),
    "os_not_a_directory": ("not a directory", "不是目录"),
    "os_link_loop": ("a symbolic link loop", "符号链接循环"),
    "os_broken_link": ("a broken symbolic link", "符号链接已失效"),
    "os_name_too_long": ("file name too long", "文件名过长"),
    "os_no_space": ("no space left on device", "设备上没有剩余空间"),
    "os_read_only": ("a read-only file system", "只读文件系统"),
    "os_too_many_open": (
        "too many open files (raise the limit, e.g. ulimit -n)",
        "打开的文件过多（请提高上限，例如 ulimit -n）",
    ),
    "os_busy": ("the file or device is busy", "文件或设备正忙"),
    "os_exists": ("the file exists", "文件已存在"),
    "os_cross_device": (
        "a move across file systems (write the file on the same disk as its directory)",
        "跨文件系统移动（请把文件写在其所在目录的同一磁盘上）",
    ),
    "os_broken_pipe": ("the reader of the pipe closed it", "管道的读取方已将其关闭"),
    "os_io_error": (
        "an input/output error (a failing disk or network drive)",
        "输入/输出错误（磁盘或网络驱动器故障）",
    ),
    "os_invalid_argument": (
        "the operating system refused the name or the operation (an invalid argument)",
        "操作系统拒绝了该名称或操作（参数无效）",
    ),
    "not_regular_file": ("not a regular file", "不是普通文件"),
    "not_regular_directory": ("not a regular file: a directory", "不是普通文件：这是一个目录"),
    "not_regular_pipe": (
        "not a regular file: a named pipe (FIFO) or socket, never read",
        "不是普通文件：命名管道（FIFO）或套接字，不予读取",
    ),
    "not_regular_device": (
        "not a regular file: a device (such as /dev/zero), never read",
        "不是普通文件：设备文件（如 /dev/zero），不予读取",
    ),
    "cannot_read_file": ("cannot read file: {reason}", "无法读取文件：{reason}"),
    "cannot_read": ("cannot read: {reason}", "无法读取：{reason}"),
    "cannot_read_path": ("cannot read this path: {reason}", "无法读取此路径：{reason}"),
    "cannot_read_directory": ("cannot read this directory: {reason}", "无法读取此目录：{reason}"),
    "cannot_read_this_file": ("cannot read this file: {reason}", "无法读取此文件：{reason}"),
    "empty_path": ("an empty path", "路径为空"),
    "no_yaml_files": ("no *.yaml or *.yml files in this directory", "此目录中没有 *.yaml 或 *.yml 文件"),
    "file_too_large": ("file is larger than the {limit}-byte limit", "文件超过 {limit} 字节的大小上限"),
    # encodings and characters
    "encoding_gbk": (
        "this file looks like GBK/GB18030 (Chinese Windows) text, not UTF-8: save it as UTF-8 "
        "(in Notepad: Save as → Encoding: UTF-8)",
        "此文件似乎是 GBK/GB18030 编码（中文 Windows 的默认编码），不是 UTF-8：请另存为 UTF-8 编码"
        "（记事本：另存为 → 编码：UTF-8）",
    ),
    "encoding_wide": (
        "this file looks like {encoding} text, not UTF-8: save it as UTF-8 (in Notepad: Save as → "
        "Encoding: UTF-8)",
        "此文件似乎是 {encoding} 编码，不是 UTF-8：请另存为 UTF-8 编码（记事本：另存为 → 编码：UTF-8）",
    ),
    "encoding_invalid_byte": (
        "file is not valid UTF-8: invalid byte {byte}; save it as UTF-8",
        "文件不是有效的 UTF-8 编码：无效字节 {byte}；请另存为 UTF-8 编码",
    ),
    "nul_byte": ("NUL byte is not allowed in a YAML file", "YAML 文件中不允许出现 NUL 字节"),
    "control_character": (
        "control character {code} is not allowed in a YAML file",
        "YAML 文件中不允许出现控制字符 {code}",
    ),
    "fw_space": ("a full-width space (U+3000)", "全角空格（U+3000）"),
    "odd_space_nbsp": ("a no-break space (U+00A0)", "不换行空格（U+00A0）"),
    "odd_space_zwsp": ("a zero width space (U+200B)", "零宽空格（U+200B）"),
    "odd_space_bom": ("a zero width no-break space (U+FEFF)", "零宽不换行空格（U+FEFF）"),
    "odd_space_a": ("a {name} ({code})", "特殊空白字符 {name}（{code}）"),
    "odd_space_an": ("an {name} ({code})", "特殊空白字符 {name}（{code}）"),
    # full-width punctuation typed for YAML's own
    "fw_colon": ("full-width colon '：'", "全角冒号 '：'"),
    "fw_comma": ("full-width comma '，'", "全角逗号 '，'"),
    "fw_enum_comma": ("enumeration comma '、'", "顿号 '、'"),
    "fw_quotes": ("full-width quotes '“ ”'", "全角引号 '“ ”'"),
    "fw_single_quotes": ("full-width quotes '‘ ’'", "全角引号 '‘ ’'"),
    "fw_brackets": ("full-width brackets '［ ］'", "全角方括号 '［ ］'"),
    "fw_braces": ("full-width braces '｛ ｝'", "全角花括号 '｛ ｝'"),
    "fw_after_key": (
        "{what} after the key '{key}': use ':' followed by a space",
        "字段 '{key}' 后用了{what}：请改用半角冒号 ':'，并在其后加一个空格",
    ),
    "fw_in_flow": (
        "{what} between the items of a list: use ',' (or put an item whose text has it in quotes)",
        "列表各项之间用了{what}：请改用半角逗号 ','（如该符号属于某项的文字，请给该项加引号）",
    ),
    "fw_in_flow_mapping": (
        "{what} between the entries of a mapping: use ',' (or put a value whose text has it in quotes)",
        "映射各项之间用了{what}：请改用半角逗号 ','（如该符号属于某个值的文字，请给该值加引号）",
    ),
    "fw_as_quotes": (
        "{what} used as quotes: use '\"' (or leave the value unquoted)",
        "用了{what}作引号：请改用半角引号 '\"'（或去掉引号）",
    ),
    "fw_as_brackets": (
        "{what} used for a list: use '[' and ']'",
        "用了{what}表示列表：请改用半角 '[' 和 ']'",
    ),
    "fw_as_braces": (
        "{what} used for a mapping: use '{{' and '}}'",
        "用了{what}表示映射：请改用半角 '{{' 和 '}}'",
    ),
    # the YAML reader
    "yaml_syntax": ("YAML syntax error: {detail}", "YAML 语法错误：{detail}"),
    "yaml_syntax_context": (
        "YAML syntax error: {problem} ({context})",
        "YAML 语法错误：{problem}（{context}）",
    ),
    "yaml_context_at": (
        "{context} at line {line}, column {column}",
        "{context}，位于第 {line} 行第 {column} 列",
    ),
    "yaml_error": ("YAML error: {detail}", "YAML 错误：{detail}"),
    "yaml_tab": ("{message}; tabs cannot be used for indentation", "{message}；不能用制表符（Tab）缩进"),
    "yaml_colon_in_value": (
        "{message}; check the indentation, and put a value that contains ': ' in quotes",
        "{message}；请检查缩进，含有 ': ' 的值请加引号",
    ),
    "odd_indent": (
        "line {line} is indented with {what}, which YAML does not take as indentation; indent with "
        "ordinary spaces",
        "第 {line} 行用{what}缩进，YAML 不将其视为缩进；请改用半角空格缩进",
    ),
    "quote_not_closed": (
        "the quote '{quote}' opened here is never closed: add the closing '{quote}'",
        "此处的引号 '{quote}' 没有闭合：请补上结束引号 '{quote}'",
    ),
    "quote_closed_full_width": (
        "the quote '{quote}' opened here is closed with a full-width '{char}': close it with '{quote}'",
        "此处的引号 '{quote}' 用全角 '{char}' 结束：请改用半角 '{quote}' 结束",
    ),
    "quote_runs_on": (
        "the quote '{quote}' opened here is closed only at line {line}, column {column}: is its "
        "closing quote missing?",
        "此处的引号 '{quote}' 直到第 {line} 行第 {column} 列才闭合：是否漏写了结束引号？",
    ),
    "flow_not_closed": (
        "the '{opener}' opened here is never closed: add the closing '{closer}'",
        "此处的 '{opener}' 没有闭合：请补上 '{closer}'",
    ),
    "unknown_escape": (
        "'{escape}' in double quotes is read as an escape: write a backslash as '\\\\' (as in a Windows "
        "path), or use single quotes",
        "双引号中的 '{escape}' 会被当作转义：反斜杠请写成 '\\\\'（如 Windows 路径），或改用单引号",
    ),
    "parser_simple_key": ("while scanning a simple key", "扫描键时"),
    "parser_next_token": ("while scanning for the next token", "扫描下一个记号时"),
    "parser_quoted_scalar": ("while scanning a quoted scalar", "扫描带引号的值时"),
    "parser_plain_scalar": ("while scanning a plain scalar", "扫描不带引号的值时"),
    "parser_block_scalar": ("while scanning a block scalar", "扫描块文本时"),
    "parser_anchor": ("while scanning an anchor", "扫描锚点时"),
    "parser_alias": ("while scanning an alias", "扫描别名时"),
    "parser_tag": ("while scanning a tag", "扫描标签时"),
    "parser_block_mapping": ("while parsing a block mapping", "解析映射时"),
    "parser_block_collection": ("while parsing a block collection", "解析列表时"),
    "parser_flow_sequence": ("while parsing a flow sequence", "解析方括号列表时"),
    "parser_flow_mapping": ("while parsing a flow mapping", "解析花括号映射时"),
    "parser_node": ("while parsing a node", "解析节点时"),
    "parser_block_node": ("while parsing a block node", "解析节点时"),
    "parser_flow_node": ("while parsing a flow node", "解析节点时"),
    "parser_parsing_quoted": ("while parsing a quoted scalar", "解析带引号的值时"),
    "parser_unknown_escape": ("found unknown escape character", "发现未知的转义字符"),
    "parser_no_hex": ("did not find expected hexdecimal number", "缺少预期的十六进制数字"),
    "parser_mapping_values_here": ("mapping values are not allowed here", "此处不允许出现映射的值"),
    "parser_no_colon": ("could not find expected ':'", "缺少预期的 ':'"),
    "parser_bad_token": ("found character that cannot start any token", "发现不能作为任何记号开头的字符"),
    "parser_mapping_values": ("mapping values are not allowed in this context", "此处不允许出现映射的值"),
    "parser_sequence_entries": (
        "block sequence entries are not allowed in this context",
        "此处不允许出现列表项",
    ),
    "parser_mapping_keys": ("mapping keys are not allowed in this context", "此处不允许出现映射的键"),
    "parser_end_of_stream": ("found unexpected end of stream", "文件意外结束"),
    "parser_document_indicator": ("found unexpected document indicator", "意外出现文档分隔符"),
    "parser_no_key": ("did not find expected key", "缺少预期的键"),
    "parser_no_dash": ("did not find expected '-' indicator", "缺少预期的 '-'"),
    "parser_no_bracket": ("did not find expected ',' or ']'", "缺少预期的 ',' 或 ']'"),
    "parser_no_brace": ("did not find expected ',' or '}}'", "缺少预期的 ',' 或 '}}'"),
    "parser_no_content": ("did not find expected node content", "缺少预期的内容"),
    "parser_no_document": ("did not find expected <document start>", "缺少预期的文档开头"),
    "parser_no_name": (
        "did not find expected alphabetic or numeric character",
        "缺少预期的字母或数字",
    ),
    "parser_tab_indent": ("found a tab character that violates indentation", "发现破坏缩进的制表符"),
    "parser_tab_space": (
        "found a tab character where an indentation space is expected",
        "应为缩进空格处出现了制表符",
    ),
    "parser_no_break": ("did not find expected comment or line break", "缺少预期的注释或换行"),
    "multiple_documents": (
        "multiple YAML documents in one file; put one dossier per file",
        "一个文件中有多个 YAML 文档；每个文件只放一份申报资料",
    ),
    "too_many_nodes": ("document too large (more than {limit} nodes)", "文档过大（超过 {limit} 个节点）"),
    "too_many_nodes_expanded": (
        "document too large after alias expansion (more than {limit} nodes)",
        "展开别名后文档过大（超过 {limit} 个节点）",
    ),
    "too_many_chars_expanded": (
        "document too large after alias expansion (more than {limit} characters of text)",
        "展开别名后文档过大（文本超过 {limit} 个字符）",
    ),
    "too_deep": ("nesting deeper than {limit} levels", "嵌套超过 {limit} 层"),
    "recursion": ("nesting too deep to process", "嵌套过深，无法处理"),
    "recursive_alias": (
        "recursive alias '{name}' refers to a node that contains it",
        "递归别名 '{name}' 引用了包含它自身的节点",
    ),
    "undefined_alias": ("undefined alias '{name}'", "未定义的别名 '{name}'"),
    "merge_key": (
        "merge keys ('<<') are not supported; write the keys out",
        "不支持合并键（'<<'）；请逐一写出各字段",
    ),
    "duplicate_key": (
        "duplicate key '{key}' (first defined at line {line})",
        "字段 '{key}' 重复（首次出现在第 {line} 行）",
    ),
    "tag_wrong_kind": ("tag '{tag}' cannot be used on a {kind}", "标签 '{tag}' 不能用于{kind}"),
    "unsupported_tag": ("unsupported tag '{tag}'", "不支持的标签 '{tag}'"),
    "key_collection": (
        "mapping keys must be strings; found a {kind} used as a key",
        "映射的键必须是文本；此处用{kind}作了键",
    ),
    "key_not_text": (
        "mapping keys must be strings; found {found} (quote the key)",
        "映射的键必须是文本；此处的键是{found}（请给键加引号）",
    ),
    "typed_value": ("{type} {value}", "{type} {value}"),
    "type_null": ("null", "空值 null"),
    "type_boolean": ("boolean", "布尔值"),
    "type_integer": ("integer", "整数"),
    "type_float": ("float", "小数"),
    "type_scalar": ("scalar", "单个值"),
    "type_sequence": ("sequence", "列表"),
    "type_mapping": ("mapping", "映射"),
    "integer_too_long": ("integer with {digits} digits is too long", "整数位数过多（{digits} 位）"),
    "invalid_tagged": ("invalid {tag} value '{value}'", "无效的 {tag} 值 '{value}'"),
    # the JSON reader (baselines)
    "json_syntax": ("JSON syntax error: {detail}", "JSON 语法错误：{detail}"),
    "end_of_file": ("the end of the file", "文件末尾"),
    "json_trailing": ("more text after the JSON value, found {found}", "JSON 值之后还有内容：{found}"),
    "json_expected_value": ("expected a value, found {found}", "应为一个值，实际为 {found}"),
    "json_expected_key": (
        "expected a key in double quotes, found {found}",
        "应为带双引号的键，实际为 {found}",
    ),
    "json_expected_colon": ("expected ':' after the key, found {found}", "键之后应为 ':'，实际为 {found}"),
    "json_expected_member_end": (
        "expected ',' or '}}' after a member of an object, found {found}",
        "对象成员之后应为 ',' 或 '}}'，实际为 {found}",
    ),
    "json_expected_item_end": (
        "expected ',' or ']' after an item of an array, found {found}",
        "数组项之后应为 ',' 或 ']'，实际为 {found}",
    ),
    "json_unterminated_string": ("unterminated string", "字符串没有结束引号"),
    "json_control_character": (
        "control character in a string (write it as an escape such as \\n)",
        "字符串中有控制字符（请写成转义，如 \\n）",
    ),
    "json_invalid_u_escape": ("invalid \\uXXXX escape in a string", "字符串中的 \\uXXXX 转义无效"),
    "json_invalid_escape": ("invalid escape in a string", "字符串中的转义无效"),
    "json_half_surrogate": (
        "a \\u escape in this string is half of a surrogate pair, not a character",
        "此字符串中的 \\u 转义只是代理对的一半，不是一个字符",
    ),
}
