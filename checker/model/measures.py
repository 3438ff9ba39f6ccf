"""How authors name the coded primary-endpoint measures (format 2.0 `measure_code`) in words:
the names and abbreviations, in English and Chinese, that say one measure and no other. A text
that names exactly one of them says that measure (`cgt-check migrate` infers the code from a 1.0
endpoint's `measure` only then)."""

from __future__ import annotations

import re

# By measure code: its names (matched as whole words, ignoring case) and its abbreviations
# (whole words, in capitals as written). "other" has none: it is never inferred.
MEASURE_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "objective-response-rate": (
        ("objective response rate", "overall response rate", "客观缓解率", "总缓解率", "客观有效率"),
        ("ORR",),
    ),
    "complete-response-rate": (
        ("complete response rate", "complete remission rate", "完全缓解率"),
        ("CRR", "CR rate"),
    ),
    "best-overall-response": (("best overall response", "最佳总体缓解"), ("BOR",)),
    "progression-free-survival": (("progression-free survival", "无进展生存"), ("PFS",)),
    "overall-survival": (("overall survival", "总生存"), ("OS",)),
    "event-free-survival": (("event-free survival", "无事件生存"), ("EFS",)),
    "duration-of-response": (("duration of response", "缓解持续时间"), ("DOR", "DoR")),
    "mrd-negativity": (
        ("mrd negativity", "mrd-negative", "minimal residual disease negativity", "微小残留病阴性"),
        (),
    ),
    "annualised-bleeding-rate": (
        ("annualised bleeding rate", "annualized bleeding rate", "年化出血率"),
        ("ABR",),
    ),
    "sri-4": (("sle responder index 4", "sle responder index-4", "sri-4"), ("SRI-4", "SRI4")),
    "mg-adl": (("myasthenia gravis activities of daily living", "mg-adl", "重症肌无力日常活动"), ("MG-ADL",)),
}


def _compiled(name: str, flags: int) -> re.Pattern[str]:
    """A name as a whole word (a Chinese name anywhere: Chinese text has no spaces)."""
    if not name.isascii():
        return re.compile(re.escape(name))
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", flags)


# Every name, the longest first, so "best overall response" is not also read as "overall
# response" and a name is not read again inside a longer one.
_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, _compiled(name, flags))
    for code, name, flags in sorted(
        (
            (code, name, flags)
            for code, (names, abbreviations) in MEASURE_NAMES.items()
            for name, flags in [*((n, re.IGNORECASE) for n in names), *((a, 0) for a in abbreviations)]
        ),
        key=lambda item: -len(item[1]),
    )
)


def measure_named(text: str) -> str | None:
    """The code of the one measure `text` names, or None when it names none or several."""
    text = " ".join(text.split())
    found: set[str] = set()
    for code, pattern in _NAMES:
        text, count = pattern.subn(" ", text)
        if count:
            found.add(code)
    return found.pop() if len(found) == 1 else None
