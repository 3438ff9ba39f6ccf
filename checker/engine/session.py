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

import importlib
import json
import os
import re
import shlex
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from checker.base import i18n, limits
from checker.base.errors import EngineError, TooManyFirings
from checker.engine.encode import bound_facts, engine_json, fact_json
from checker.engine.program import MARKER, SENTINEL, SENTINEL_RULE, EngineFact, Firing, Program, read_part

# An action message: {"<rule>":{"<alias>":{"sid":"<sid>","id":"<fact id>",...},...}}
_MESSAGE_HEAD = re.compile(r'\{"([^"\\]+)":\{')
CONTEXT_SLOT = "ctx{}"
MAX_PROPERTIES = limits.MAX_FACT_PROPERTIES
MAX_BATCH_CHARS = limits.MAX_BATCH_CHARS
MAX_FIRINGS = limits.MAX_FIRINGS
ALPHA_OVERFLOW = "error code: 303"  # a fact reached more pending alpha nodes than the engine walks
TOO_MANY_JOINS = "error code: 108"  # one condition would feed more joins than the engine builds
TOO_MANY_TESTS = "error code: 107"  # one condition would be followed by more tests than it links

_native_module: ModuleType | None = None
_names = iter(range(1, 1 << 62))
_names_lock = threading.Lock()


def rebuild_command(python: str = "python3") -> str:
    """The command that rebuilds durable-rules' C extension from source for `python`, with the
    one definition Python 3.13 and a strict C compiler need (see docs/engine.md)."""
    return (
        f'CPPFLAGS="-DPyEval_CallObject=PyObject_CallObject" {python} -m pip install '
        "--no-cache-dir --force-reinstall --no-binary durable-rules durable-rules==2.0.28"
    )


def _import_extension() -> ModuleType:
    """Import durable-rules' C extension with lazy symbol binding where the platform has it.

    durable-rules 2.0.28 calls ``PyEval_CallObject``, which Python 3.13 removed, but only in the
    host callbacks (``set_store_message_callback`` and the like) that the checker never
    registers. Bound lazily, that symbol is only looked up if one of them runs, so the
    extension imports and works on 3.13 as pip builds it. The flags are restored afterwards."""
    set_flags = getattr(sys, "setdlopenflags", None)
    if set_flags is None or not hasattr(os, "RTLD_LAZY"):
        return importlib.import_module("durable_rules_engine")
    flags = sys.getdlopenflags()
    set_flags((flags & ~os.RTLD_NOW) | os.RTLD_LAZY)
    try:
        return importlib.import_module("durable_rules_engine")
    finally:
        set_flags(flags)


def native() -> ModuleType:
    """The durable-rules C extension, imported on first use."""
    global _native_module
    if _native_module is None:
        try:
            _native_module = _import_extension()
        except ImportError as exc:
            command = rebuild_command(shlex.quote(sys.executable))
            said = i18n.message("engine_cannot_load", detail=i18n.verbatim(str(exc)), command=command)
            raise EngineError(said) from exc
    return _native_module


def _delete(rulesets: Sequence[_Ruleset]) -> None:
    """Delete the rulesets' handles (an abandoned one has none: the engine failed in it, and
    deleting such a ruleset can crash it, so it stays allocated until the process ends)."""
    for ruleset in rulesets:
        handle, ruleset.handle = ruleset.handle, None
        if handle is not None:
            native().delete_ruleset(handle)


def _too_many(messages: list[str]) -> TooManyFirings:
    """The error for a batch that fired past the bound, naming the engine rule that fired most."""
    counts: dict[str, int] = {}
    for text in messages:
        head = _MESSAGE_HEAD.match(text)
        name = head[1] if head is not None else "?"
        counts[name] = counts.get(name, 0) + 1
    rule = max(sorted(counts), key=counts.__getitem__)
    said = i18n.message("engine_fired_too_often", most=f"{MAX_FIRINGS:,}", n=f"{counts[rule]:,}", rule=rule)
    return TooManyFirings(said, rule)


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
        self._views_of: dict[str, list[str]] = {}  # a fact type -> its negation views, in order
        for view, base in program.views.items():
            self._views_of.setdefault(base, []).append(view)
        self._aliases = {  # each rule's positive aliases: the facts an action message binds
            name: frozenset(
                alias for pattern in rule.get("all", ()) for alias in pattern if not alias.endswith("$not")
            )
            for name, rule in (*program.rules.items(), (SENTINEL_RULE, SENTINEL))
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
        because one condition would feed more joins than it builds (error 108) or be followed by
        more tests than it links (error 107)."""
        text = self._program.ruleset_text(names) if text is None else text
        try:
            return [_Ruleset(names, text, self._new_handle(text))]
        except EngineError as exc:
            split = TOO_MANY_JOINS in exc.message or TOO_MANY_TESTS in exc.message
            halves = self._program.halves(names) if split else None
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
            raise EngineError(i18n.message("engine_refused_rules", detail=i18n.verbatim(str(exc)))) from exc

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
                raise EngineError(i18n.message("engine_session_closed"))
            self._sid += 1
            sid = str(self._sid)
            text = self._batch(facts, today, sid)
            if len(text) > MAX_BATCH_CHARS:
                raise EngineError(i18n.message("engine_batch_too_large", n=len(text)))
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
            halves = self._program.halves(ruleset.names) if ALPHA_OVERFLOW in exc.message else None
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
        read = self._program.read_fields
        unknown = len(order)
        typed = [(f.type, i) for i, f in enumerate(facts)]
        views = self._views_of
        typed += [(view, i) for t, i in typed if t in views for view in views[t]]
        indexed = sorted((order[t], i, t) for t, i in typed if t in order)
        ctx_at = order.get("ctx", unknown)
        head = f'{{"sid":{engine_json(sid)},"id":'
        parts: list[str] = []
        texts: dict[int, str] = {}  # a fact and its views are written once
        slots_done = False
        for rank, i, fact_type in indexed:
            if not slots_done and rank > ctx_at:
                parts.extend(self._slots(today, sid))
                slots_done = True
            fact = facts[i]
            text = texts.get(i)
            if text is None:
                tree = read.get(fact.type)
                text, properties = fact_json(fact.data if tree is None else read_part(fact.data, tree))
                if properties + 2 > MAX_PROPERTIES:
                    said = i18n.message("engine_fact_too_wide", fact=fact.type, most=MAX_PROPERTIES)
                    raise EngineError(said)
                texts[i] = text
            ident = f"f{i}" if fact_type == fact.type else f"v{i}"  # views are never bound
            parts.append(f'{head}"{ident}",{self._type_json[fact_type]}:{text}}}')
        if not slots_done:
            parts.extend(self._slots(today, sid))
        parts.append(engine_json({"sid": sid, "id": "end", MARKER: {"k": 1}}))
        return "[" + ",".join(parts) + "]"

    def _slots(self, today: int, sid: str) -> list[str]:
        """The context slot facts as the engine's JSON (what engine_json writes of each)."""
        head, day = f'{{"sid":{engine_json(sid)},"id":"c', engine_json(today)
        return [
            f'{head}{k}",{engine_json(CONTEXT_SLOT.format(k))}:{{"zero":0,"today":{day}}}}}'
            for k in range(1, self._program.slots + 1)
        ]

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
                raise EngineError(i18n.message("engine_refused_facts", code=code))
            first = eng.start_action_for_state(handle, state)
            if first:
                started = True
                messages.append(first[1])
                while True:
                    nxt = eng.complete_and_start_action(handle, state)
                    if not nxt:
                        break
                    messages.append(nxt)
                    if len(messages) > MAX_FIRINGS:
                        started = False  # an action is pending: the state is abandoned with it
                        raise _too_many(messages)
        except eng.error as exc:
            raise EngineError(i18n.message("engine_failed", detail=i18n.verbatim(str(exc)))) from exc
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
            raise EngineError(i18n.message("engine_incomplete"))
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
            pairs = bound_facts(message, head.end(), sid)
            if pairs is not None and len(pairs) == len(expected) and {a for a, _ in pairs} == expected:
                return [(head[1], pairs)]
        return [
            (rule, [(alias, str(fact.get("id", ""))) for alias, fact in bound.items()])
            for rule, bound in json.loads(message).items()
        ]


__all__ = ["Session", "native"]
