"""Every bound on input, in one place. Each protects the process (memory, time, the rule
engine's C code) and gives a located error, exit 2, when a file goes past it.

The per-list lengths of a dossier are part of its schema (``maxItems`` in
``schemas/dossier.schema.json``, from ``checker/model.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

# A dossier file, as read from disk or standard input.
MAX_FILE_BYTES = 5_000_000
# Collections inside collections, aliases expanded.
MAX_DEPTH = 64
# Scalars, sequences and mappings (keys included), aliases expanded.
MAX_NODES = 200_000
# One text value (pydantic ``max_length``): far below the engine's 65,536-character regex bound.
MAX_TEXT_CHARS = 65_535
# Problems reported for one file; then one line says how many more there are.
MAX_PROBLEMS_PER_FILE = 100
# A rule file (bundled or given with --rules).
MAX_RULE_FILE_BYTES = 2_000_000
# A configuration file (.cgt-check.yaml, pyproject.toml), a baseline, a justification file, a
# rule self-test case, and a file named on the command line that is not a dossier.
MAX_SIDE_FILE_BYTES = 5_000_000
# A cache entry: one larger is neither written nor read.
MAX_CACHE_ENTRY_BYTES = 32_000_000
# The largest --max-file-size (and configuration's max-file-size) accepted: 1 GiB.
MAX_FILE_BYTES_CEILING = 1 << 30
# Engine facts: the engine refuses facts with more than ~252 properties.
MAX_FACT_PROPERTIES = 240
# One batch of facts as JSON: far below the engine's 16,777,215-character crash.
MAX_BATCH_CHARS = 8_000_000
# A text literal in a rule; dossier text longer than this reaches the engine as its start and a
# digest (equal texts stay equal, a long text never equals a literal).
MAX_RULE_TEXT = 200
# A number in a rule (dossier amounts are bounded alike in the model).
MAX_RULE_NUMBER = 1e15
# A rule's offset_days, either way: a century of days.
MAX_OFFSET_DAYS = 36_525
# Rules in a pack: the engine refuses more than 4,096 rules; each rule is two.
MAX_RULES = 2000
# create_ruleset spins forever past ~512 distinct tests under one node.
MAX_TESTS_PER_TYPE = 400
# Rules per engine ruleset: a larger pack is spread over several rulesets, each given every
# batch. One ruleset with many rules that share conditions reaches two fixed limits of the
# engine (one condition feeds at most 256 joins; a fact walks at most 64 pending alpha nodes);
# a ruleset that reaches one anyway is split in two (see checker.engine).
RULES_PER_RULESET = 128

# What one rule may ask of the engine (docs/rule-format.md, "Bounds"); a rule past one is refused
# when its pack is loaded, with the rule's file, line and column.
# Values in one `in` / `not_in` list: create_ruleset spins forever past ~512 alternatives.
MAX_IN_VALUES = 100
# Groups in one `any`, and `any` inside `any`.
MAX_ANY_BRANCHES = 32
MAX_ANY_DEPTH = 4
# Tests on one fact in one pattern, each `in` value and each `any` branch counted.
MAX_PATTERN_TESTS = 128
# Expressions in one pattern's `any` groups of two tests or more (each test, each group and each
# `any` counted): the engine refuses some 43 (error 113); 13 groups of two tests are 40.
MAX_GROUPED_EXPRESSIONS = 37
# Facts one rule matches (`applies`, its widest `applies_any` group and `gap.match`).
MAX_RULE_PATTERNS = 8
# `applies_any` groups, comparisons (`applies_join` and `gap.join`), absences and the comparisons
# in one absence (the engine holds at most 31 expressions per node: error 113).
MAX_ALTERNATIVES = 16
MAX_JOINS = 16
MAX_ABSENT = 8
MAX_ABSENT_JOINS = 8
# The partial matches one engine rule can hold on a dossier with every list at its limit (the
# product of the facts it matches, pattern by pattern; a fact it only needs to exist counts
# once; a comparison of an item's key with another fact's field brings the item back to one), and
# all the rules of a pack together. The bundled pack's widest rule holds 78,030 and the whole pack
# 1.4 million (ten copies of it are still accepted). A rule at the bound costs the engine some
# 25 MB on such a dossier.
MAX_RULE_MATCHES = 100_000
MAX_PACK_MATCHES = 20_000_000
# Firings of one engine ruleset on one dossier: past this the check of the dossier stops, naming
# the rule that fired most (each firing is read back from the engine, so a rule whose facts
# combine within the bound above but without a test that sorts them out could otherwise take
# seconds and a gigabyte). The bundled pack fires about 3,600 times on a dossier with every list at
# its limit, and under 100 times on the examples.
MAX_FIRINGS = 5_000
# A finding's message: placeholders in it, the characters a placeholder is filled with at most,
# and the message's length with each filled at most.
MAX_MESSAGE_PLACEHOLDERS = 12
MAX_PLACEHOLDER_CHARS = 200
MAX_MESSAGE_CHARS = 4_000
# Building a custom pack's engine rulesets, in a child process: past this, the engine is stopped.
MAX_BUILD_SECONDS = 30.0
# Checking one dossier with a custom pack, in a child process: past this, the check is stopped and
# the dossier reported as an error.
MAX_CHECK_SECONDS = 30.0
# Each check made to find the rule that stopped the engine on a dossier.
MAX_SEARCH_SECONDS = 10.0


@dataclass(frozen=True)
class Limits:
    """The limits a dossier is read with; the command line can lower or raise the file size."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_depth: int = MAX_DEPTH
    max_nodes: int = MAX_NODES
    # Characters of text once aliases are expanded (default: max_file_bytes).
    max_chars: int | None = None

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_depth", "max_nodes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")

    @property
    def text_chars(self) -> int:
        return self.max_file_bytes if self.max_chars is None else self.max_chars
