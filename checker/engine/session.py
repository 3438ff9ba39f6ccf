"""The engine adapter: the only module that talks to durable-rules.

durable-rules' C engine is fast and exact when driven synchronously through its low-level
functions, and has sharp edges (see docs/engine.md). This module makes each of them
impossible to hit from the rest of the checker:

- Positive patterns with a cross-fact comparison inside ``$and`` can crash the process, so the
  rule compiler never emits them: every cross-fact comparison of a positive join is evaluated on
  its own *context slot* fact (``ctx1``, ``ctx2``, ...), and this adapter asserts those slots.
- ``delete_state`` crashes for a state in which no action ever started, and an empty batch
  corrupts the ruleset: every batch ends with a marker fact that a sentinel rule always fires on.
  The sentinel's firing also proves that the whole batch was processed.
- Negation only suppresses a match when the negated fact was asserted first: facts are asserted
  in the order the compiler computed from the rules' negations. A rule that matches a fact type
  and also requires one of that type absent reads the absent one through a *view*: every fact of
  the type asserted again under ``<type>__view``, ordered before the types it is matched with.
- ``sid`` and ``id`` belong to the engine: the adapter assigns them; dossier data is nested one
  level down under its fact type, so it can never supply them.
- At most 1,024 live states per ruleset: one state per evaluation, always deleted.
- ``$or`` fires twice when both branches hold: firings are de-duplicated.
- The high-level ``durable.lang`` host (timer threads, deferred actions) is never used.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import Any

from checker.base import limits
from checker.base.errors import EngineError

SENTINEL_RULE = "__batch_complete"
MARKER = "end_marker"
_SENTINEL = {"all": [{"m": {"$ex": {f"{MARKER}.k": 1}}}]}  # fires once the end marker is in
# An action message: {"<rule>":{"<alias>":{"sid":"<sid>","id":"<fact id>",...},...}}
_MESSAGE_HEAD = re.compile(r'\{"([^"\\]+)":\{')
CONTEXT_SLOT = "ctx{}"
MAX_PROPERTIES = limits.MAX_FACT_PROPERTIES
MAX_BATCH_CHARS = limits.MAX_BATCH_CHARS
MAX_ENGINE_TEXT = limits.MAX_RULE_TEXT
RULES_PER_RULESET = limits.RULES_PER_RULESET
ALPHA_OVERFLOW = "error code: 303"  # a fact reached more pending alpha nodes than the engine walks
TOO_MANY_JOINS = "error code: 108"  # one condition would feed more joins than the engine builds

_native_module: ModuleType | None = None
_names = iter(range(1, 1 << 62))
_names_lock = threading.Lock()


def native() -> ModuleType:
    """The durable-rules C extension, imported on first use."""
    global _native_module
    if _native_module is None:
        try:
            import durable_rules_engine
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise EngineError(
                "the rule engine cannot be loaded: durable-rules' C extension "
                f"(durable_rules_engine) failed to import ({exc}). Reinstall cgt-checker with a "
                "C compiler and the Python headers available (see the README)."
            ) from exc
        _native_module = durable_rules_engine
    return _native_module


@dataclass(frozen=True)
class EngineFact:
    """One fact for the engine: its type and its plain JSON data."""

    type: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Firing:
    """A rule that fired, and which input fact each of its aliases matched."""

    rule: str
    bindings: tuple[tuple[str, int], ...]  # (alias, index into the evaluated facts), sorted


@dataclass(frozen=True)
class Program:
    """A compiled ruleset, ready for the engine."""

    rules: dict[str, Any]  # durable-rules JSON ruleset: {rule_name: {"all": [...]}}
    fact_order: tuple[str, ...]  # fact types in assert order; "ctx" marks the context slots
    slots: int  # how many context slot facts the rules use
    views: Mapping[str, str] = field(default_factory=dict)  # negation view type -> its fact type

    @cached_property
    def partition(self) -> tuple[tuple[str, ...], ...]:
        """The engine rule names of each engine ruleset: the rules of up to RULES_PER_RULESET
        source rules each, in pack order (a source rule's engine rules stay together)."""
        groups = _by_source_rule(tuple(self.rules))
        size = RULES_PER_RULESET
        return tuple(_flat(groups[i : i + size]) for i in range(0, len(groups), size)) or ((),)

    @cached_property
    def ruleset_texts(self) -> tuple[str, ...]:
        """Each ruleset of the partition as the engine takes it: computed once per program, and
        kept with it in the rule-pack cache."""
        return tuple(self.ruleset_text(names) for names in self.partition)

    def ruleset_text(self, names: Sequence[str]) -> str:
        """An engine ruleset of the named rules, with the batch sentinel."""
        rules = {name: self.rules[name] for name in names}
        rules[SENTINEL_RULE] = _SENTINEL
        return engine_json(rules)


def _by_source_rule(names: Sequence[str]) -> list[tuple[str, ...]]:
    """Engine rule names grouped by the source rule they were compiled from ("<id>|...")."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name.rpartition("|")[0] or name, []).append(name)
    return [tuple(g) for g in groups.values()]


def _flat(groups: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(name for group in groups for name in group)


def _delete(rulesets: Sequence[_Ruleset]) -> None:
    """Delete the rulesets' handles (an abandoned one has none: the engine failed in it, and
    deleting such a ruleset can crash it, so it stays allocated until the process ends)."""
    for ruleset in rulesets:
        handle, ruleset.handle = ruleset.handle, None
        if handle is not None:
            native().delete_ruleset(handle)


def _halves(names: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """names split in two between source rules; None for one source rule's engine rules."""
    groups = _by_source_rule(names)
    if len(groups) < 2:
        return None
    middle = len(groups) // 2
    return _flat(groups[:middle]), _flat(groups[middle:])


def engine_text(value: Any) -> Any:
    """Fact data as the engine gets it: a text longer than MAX_ENGINE_TEXT characters becomes its
    start and a digest. Rules only test text for presence and for equality with literals of at
    most that length (the compiler refuses longer ones), so every answer stays the same, while the
    engine, which takes some 40 bytes of memory per character, never holds a dossier's long prose."""
    if isinstance(value, str):
        if len(value) <= MAX_ENGINE_TEXT:
            return value
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"{value[:MAX_ENGINE_TEXT]}\u2026#{digest}"
    if isinstance(value, dict):
        return {k: engine_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [engine_text(v) for v in value]
    return value


_INT64 = 1 << 63
_FAST_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _bound_facts(message: str, start: int, sid: str) -> list[tuple[str, str]] | None:
    """The ("alias", "fact id") of every '"alias":{"sid":"<sid>","id":"<fact id>"' in message
    after start (plain searches: a regular expression here costs as much as parsing it all);
    None if one of them is not written that way."""
    needle = f'{{"sid":"{sid}","id":"'
    pairs: list[tuple[str, str]] = []
    at = message.find(needle, start)
    while at != -1:
        quote = message.rfind('"', start, at - 2)
        if quote < 1 or message[at - 2 : at] != '":' or message[quote - 1] not in "{,":
            return None
        alias = message[quote + 1 : at - 2]
        begin = at + len(needle)
        end = message.find('"', begin)
        if end == -1 or "\\" in alias:
            return None
        pairs.append((alias, message[begin:end]))
        at = message.find(needle, end)
    return pairs


class _Walk:
    """What one walk over a fact's data learns: its properties (as count_properties counts
    them) and whether it holds a number that json writes in a form the engine misreads."""

    __slots__ = ("properties", "unusual")

    def __init__(self) -> None:
        self.properties = 0
        self.unusual = False


def _prepare(value: Any, walk: _Walk, counted: bool) -> Any:
    """engine_text(value), learning what _Walk records on the way (one walk instead of three)."""
    cls = value.__class__
    if cls is str:
        return value if len(value) <= MAX_ENGINE_TEXT else engine_text(value)
    if cls is dict:
        if counted:
            walk.properties += len(value)
        if not walk.unusual and not all(k.__class__ is str for k in value):
            walk.unusual = True  # json writes a True or None key as true or null, engine_json as str()
        return {k: _prepare(v, walk, counted) for k, v in value.items()}
    if cls is list:
        return [_prepare(v, walk, False) for v in value]
    if cls is float:
        # repr (and so json) writes an exponent outside [1e-4, 1e16): "1e-05" reads as 1
        if value != 0.0 and not 1e-4 <= abs(value) < 1e16:  # also true for inf and nan
            walk.unusual = True
    elif cls is int:
        if not -_INT64 <= value < _INT64:
            walk.unusual = True
    elif cls is not bool and value is not None:  # a subclass or another type: the general path
        walk.unusual = True
        if counted:
            walk.properties += count_properties(value)
        return engine_text(value)
    return value


def fact_json(data: dict[str, Any]) -> tuple[str, int]:
    """A fact's data as the engine gets it (engine_text, written as engine_json writes it) and
    its number of properties (count_properties): the C encoder where it writes the same text."""
    walk = _Walk()
    prepared = _prepare(data, walk, True)
    text = engine_json(prepared) if walk.unusual else _FAST_JSON(prepared)
    return text, walk.properties


def _number(value: int | float) -> str:
    """A number as the engine's JSON parser reads it right. It reads an exponent only after a
    decimal point ("1e+20" reads as 1, "1e+300" crashed the process, "1e3" in a rule is refused):
    the mantissa always gets one. It keeps integers in 64 bits: larger ones go as floats."""
    if isinstance(value, int) and -_INT64 <= value < _INT64:
        return str(value)
    try:
        number = float(value)
    except OverflowError:
        raise EngineError("a number is too large for the rule engine") from None
    if not math.isfinite(number):
        raise EngineError("the rule engine cannot compare an infinite or undefined number")
    text = repr(number)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        text = f"{mantissa}.0e{exponent}"
    return text


def engine_json(value: Any) -> str:
    """JSON for the engine: like json.dumps(ensure_ascii=False) (Chinese text only matches
    unescaped), with numbers written as its parser reads them (see _number)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{engine_json(str(k))}:{engine_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(engine_json(v) for v in value) + "]"
    raise EngineError(f"the rule engine cannot take a value of type {type(value).__name__}")


def count_properties(value: Any) -> int:
    if isinstance(value, dict):
        return sum(1 + count_properties(v) for v in value.values())
    return 0


class _Ruleset:
    """One engine ruleset: the program's rules named, and its handle (None when abandoned: it
    is created again on its next use)."""

    __slots__ = ("handle", "names", "text")

    def __init__(self, names: tuple[str, ...], text: str, handle: Any) -> None:
        self.names = names
        self.text = text
        self.handle = handle


class Session:
    """A program on the engine, in one engine ruleset or several (see Program.partition);
    evaluates one batch of facts at a time, in every ruleset."""

    def __init__(self, program: Program) -> None:
        self._program = program
        self._order = {t: i for i, t in enumerate(program.fact_order)}
        self._type_json = {t: engine_json(t) for t in (*program.fact_order, *program.views)}
        self._aliases = {  # each rule's positive aliases: the facts an action message binds
            name: frozenset(
                alias for pattern in rule.get("all", ()) for alias in pattern if not alias.endswith("$not")
            )
            for name, rule in (*program.rules.items(), (SENTINEL_RULE, _SENTINEL))
        }
        self._sid = 0
        self._rulesets: list[_Ruleset] = []
        self._closed = False
        self._lock = threading.Lock()
        try:
            for names, text in zip(program.partition, program.ruleset_texts, strict=True):
                self._rulesets.extend(self._create(names, text))
        except BaseException:
            self.close()
            raise

    @property
    def rulesets(self) -> int:
        """How many engine rulesets the program is spread over now."""
        return len(self._rulesets)

    def _create(self, names: tuple[str, ...], text: str | None = None) -> list[_Ruleset]:
        """The engine ruleset of the named rules; two or more when the engine refuses it whole
        because one condition would feed more joins than it builds (error 108)."""
        text = self._program.ruleset_text(names) if text is None else text
        try:
            return [_Ruleset(names, text, self._new_handle(text))]
        except EngineError as exc:
            halves = _halves(names) if TOO_MANY_JOINS in exc.message else None
            if halves is None:
                raise
        first = self._create(halves[0])
        try:
            return [*first, *self._create(halves[1])]
        except BaseException:
            _delete(first)
            raise

    @staticmethod
    def _new_handle(text: str) -> Any:
        with _names_lock:
            name = f"cgt{next(_names)}"
        try:
            return native().create_ruleset(name, text)
        except native().error as exc:
            raise EngineError(f"the rule engine refused the compiled rules: {exc}") from exc

    def close(self) -> None:
        with self._lock:  # never while a batch is being evaluated
            self._closed = True
            rulesets, self._rulesets = self._rulesets, []
            _delete(rulesets)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def evaluate(self, facts: Sequence[EngineFact], today: int) -> list[Firing]:
        """Assert one batch in its own state in every ruleset, run every action, delete the
        states. The session's rulesets change only when a split helped (see _evaluate_in)."""
        with self._lock:  # one live state per handle at a time
            if self._closed:
                raise EngineError("the engine session is closed")
            self._sid += 1
            sid = str(self._sid)
            text = self._batch(facts, today, sid)
            if len(text) > MAX_BATCH_CHARS:
                raise EngineError(
                    f"the dossier's data ({len(text)} characters) is more than the rule engine accepts"
                )
            firings: list[Firing] = []
            kept: list[_Ruleset] = []
            for k, ruleset in enumerate(self._rulesets):
                done: list[tuple[_Ruleset, list[str]]] = []
                try:
                    done = self._evaluate_in(ruleset, text, sid)
                    for _, messages in done:
                        firings.extend(self._firings(messages, sid))
                except BaseException:
                    if done and done[0][0] is not ruleset:
                        _delete([rs for rs, _ in done])  # halves made for this batch
                    self._rulesets = [*kept, *self._rulesets[k:]]
                    raise
                kept.extend(rs for rs, _ in done)
            self._rulesets = kept
            return firings

    def _evaluate_in(self, ruleset: _Ruleset, text: str, sid: str) -> list[tuple[_Ruleset, list[str]]]:
        """The action messages of one batch in one ruleset: [(ruleset, messages)]. If a fact
        overflows the engine's alpha walk there (error 303), the ruleset is split in two and the
        halves take the batch (and so on down); they replace it only if that worked. Otherwise
        the error is raised, and the ruleset stays, to be created again on its next use."""
        if ruleset.handle is None:
            ruleset.handle = self._new_handle(ruleset.text)
        try:
            return [(ruleset, self._run(ruleset, text, sid))]
        except EngineError as exc:
            halves = _halves(ruleset.names) if ALPHA_OVERFLOW in exc.message else None
            if halves is None:
                raise
        made = [*self._create(halves[0]), *self._create(halves[1])]
        done: list[tuple[_Ruleset, list[str]]] = []
        try:
            for half in made:
                done.extend(self._evaluate_in(half, text, sid))
        except BaseException:
            _delete([*[rs for rs, _ in done], *made])
            raise
        return done

    def _batch(self, facts: Sequence[EngineFact], today: int, sid: str) -> str:
        """The batch as the engine's JSON: the facts in rule order, each view a copy of its
        fact, the context slots, then the end marker."""
        order = self._order
        unknown = len(order)
        typed = [(f.type, i) for i, f in enumerate(facts)]
        typed += [
            (view, i)
            for view, base in self._program.views.items()
            for i, f in enumerate(facts)
            if f.type == base
        ]
        indexed = sorted((order[t], i, t) for t, i in typed if t in order)
        ctx_at = order.get("ctx", unknown)
        head = f'{{"sid":{engine_json(sid)},"id":'
        parts: list[str] = []
        texts: dict[int, str] = {}  # a fact and its views are written once
        slots_done = False
        for rank, i, fact_type in indexed:
            if not slots_done and rank > ctx_at:
                parts.extend(engine_json(slot) for slot in self._slots(today, sid))
                slots_done = True
            fact = facts[i]
            text = texts.get(i)
            if text is None:
                text, properties = fact_json(fact.data)
                if properties + 2 > MAX_PROPERTIES:
                    raise EngineError(
                        f"a {fact.type} item has more than {MAX_PROPERTIES} fields, more than the "
                        "rule engine accepts in one fact"
                    )
                texts[i] = text
            ident = f"f{i}" if fact_type == fact.type else f"v{i}"  # views are never bound
            parts.append(f'{head}"{ident}",{self._type_json[fact_type]}:{text}}}')
        if not slots_done:
            parts.extend(engine_json(slot) for slot in self._slots(today, sid))
        parts.append(engine_json({"sid": sid, "id": "end", MARKER: {"k": 1}}))
        return "[" + ",".join(parts) + "]"

    def _slots(self, today: int, sid: str) -> Iterator[dict[str, Any]]:
        for k in range(1, self._program.slots + 1):
            yield {"sid": sid, "id": f"c{k}", CONTEXT_SLOT.format(k): {"zero": 0, "today": today}}

    @staticmethod
    def _run(ruleset: _Ruleset, text: str, sid: str) -> list[str]:
        """The action messages of one batch in one ruleset. When the engine fails, the ruleset's
        handle is abandoned (None): deleting a state in which no action started crashes the
        engine, and so can deleting the ruleset, so it stays allocated until the process ends."""
        eng = native()
        handle = ruleset.handle
        started = False
        messages: list[str] = []
        try:
            code, state = eng.assert_facts(handle, text)
            if code not in (0, 1):  # 1: some fact matched no rule, which is fine
                raise EngineError(f"the rule engine refused the facts (code {code})")
            first = eng.start_action_for_state(handle, state)
            if first:
                started = True
                messages.append(first[1])
                while True:
                    nxt = eng.complete_and_start_action(handle, state)
                    if not nxt:
                        break
                    messages.append(nxt)
        except eng.error as exc:
            raise EngineError(f"the rule engine failed: {exc}") from exc
        finally:
            if started:
                eng.delete_state(handle, sid)
            else:  # a batch always fires the sentinel: the engine failed
                ruleset.handle = None
        return messages

    def _firings(self, messages: list[str], sid: str) -> list[Firing]:
        seen: set[Firing] = set()
        out: list[Firing] = []
        complete = False
        for message in messages:
            for rule, ids in self._bound(message, sid):
                if rule == SENTINEL_RULE:
                    complete = True
                    continue
                bindings = tuple(
                    sorted((alias, int(ident[1:])) for alias, ident in ids if ident.startswith("f"))
                )
                firing = Firing(rule, bindings)
                if firing not in seen:
                    seen.add(firing)
                    out.append(firing)
        if not complete:
            raise EngineError("the rule engine did not process the whole batch")
        return out

    def _bound(self, message: str, sid: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """The rules in one action message, each with the (alias, fact id) pairs it bound.

        A message holds every bound fact whole, so parsing it all is most of the cost of reading
        it. The engine writes each fact as it was asserted, which starts with its sid and id, so
        the pairs are read where they stand; what is read is accepted only when it is exactly the
        rule's positive aliases, each once, in this batch (anything else is parsed in full)."""
        head = _MESSAGE_HEAD.match(message)
        expected = self._aliases.get(head[1]) if head is not None else None
        if head is not None and expected is not None:
            pairs = _bound_facts(message, head.end(), sid)
            if pairs is not None and len(pairs) == len(expected) and {a for a, _ in pairs} == expected:
                return [(head[1], pairs)]
        return [
            (rule, [(alias, str(fact.get("id", ""))) for alias, fact in bound.items()])
            for rule, bound in json.loads(message).items()
        ]


__all__ = ["EngineFact", "Firing", "Program", "Session", "count_properties", "fact_json", "native"]
