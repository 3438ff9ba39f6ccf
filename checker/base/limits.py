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
