"""The language server (`cgt-check lsp`): pygls over standard input and output.

Each YAML document the client opens is checked if it is a dossier (see checker.lsp.project), on
open and after each change (once the changes pause for `debounce` seconds), and its diagnostics
published; hover and code actions read the latest check. A document that is not a dossier gets
nothing (its diagnostics are cleared). The client may pass options in `initializationOptions`,
by their long names as a configuration file has them, over the configuration's as the command
line's are (`lang`, `as-of`, `select`, `ignore`, `rules`, `justifications`, `no-justifications`,
`baseline`, `max-file-size`), `config` (one configuration file for every dossier, as `--config`)
and `debounce` (seconds)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from checker import __version__
from checker.base import i18n
from checker.load.located import Located
from checker.lsp import actions as A
from checker.lsp.diagnostics import diagnostics
from checker.lsp.hover import hover, markup
from checker.lsp.project import Checked, Projects, check_name
from checker.lsp.text import UTF8, UTF16, UTF32, Position, Text
from checker.run.settings import OPTIONS

DEBOUNCE = 0.05  # seconds without a change before a changed dossier is checked
GIVEN = frozenset(OPTIONS) - {"format", "output", "fail-on"}  # what initializationOptions may set


@dataclass
class Document:
    """An open document's latest check (None: not a dossier)."""

    version: int | None
    checked: Checked | None
    text: Text
    located: Located | None = None
    located_version: int | None = None


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, without keeping a finished future for every notification: pygls 2.1
    files the future of a notification's built-in handler (didOpen, didChange, ...) under a
    fresh id that nothing removes, some 2 KB per keystroke."""

    def _handle_notification(self, method_name: str, params: Any) -> None:
        before = set(self._request_futures)
        super()._handle_notification(method_name, params)
        for key in set(self._request_futures) - before:
            future = self._request_futures[key]
            if future.done():
                del self._request_futures[key]
            else:
                future.add_done_callback(partial(self._forget, key))

    def _forget(self, key: str | int, _: object) -> None:
        self._request_futures.pop(key, None)


class DossierServer(LanguageServer):
    def __init__(self, defaults: dict[str, Any] | None = None) -> None:
        super().__init__("cgt-check", __version__, protocol_cls=_Protocol)
        # The command line's options (`cgt-check lsp --lang zh`), which the client's own
        # initializationOptions override one by one.
        self.defaults = dict(defaults or {})
        self.projects = Projects()
        self.documents: dict[str, Document] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.debounce = DEBOUNCE
        self.configure({})

    # ---------------------------------------------------------------- settings

    def configure(self, options: Any) -> None:
        """Take the client's initializationOptions, over the command line's."""
        options = {**self.defaults, **(options if isinstance(options, dict) else {})}
        given = {k: v for k, v in options.items() if k in GIVEN}
        config = options.get("config")
        debounce = options.get("debounce")
        if isinstance(debounce, int | float) and 0 <= debounce <= 10:
            self.debounce = float(debounce)
        self.projects.close()
        self.projects = Projects(given, config if isinstance(config, str) else None)
        unknown = sorted(set(options) - GIVEN - {"config", "debounce"})
        if unknown:
            lang = str(options.get("lang", "en"))
            said = i18n.text("lsp_unknown_options", lang, names=", ".join(map(str, unknown)))
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Warning, said))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """An error of the server's own (never an input's: those are diagnostics), said in both
        languages in the client's log; the server goes on."""
        said = i18n.text("lsp_internal_error", "en", error=repr(error)[:500])
        said_zh = i18n.text("lsp_internal_error", "zh", error=repr(error)[:500])
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"{said}\n{said_zh}"))

    def encoding(self) -> str:
        kind = self.workspace.position_encoding
        return {lsp.PositionEncodingKind.Utf8: UTF8, lsp.PositionEncodingKind.Utf32: UTF32}.get(
            kind,  # type: ignore[call-overload]
            UTF16,
        )

    # ---------------------------------------------------------------- checking

    def check(self, uri: str) -> Document | None:
        """Check a document as it is now and publish its diagnostics."""
        self.pending.pop(uri, None)
        try:
            doc = self.workspace.get_text_document(uri)
        except KeyError:  # closed meanwhile
            return None
        source = doc.source
        fs_path = to_fs_path(uri) if uri.startswith("file:") else None
        path = Path(fs_path) if fs_path else None
        text = Text(source, self.encoding())
        project = self.projects.for_file(path)
        checked = None
        if project.is_dossier(path, source):
            checked = project.check(check_name(path, uri), source)
        state = Document(doc.version, checked, text)
        self.documents[uri] = state
        found = diagnostics(checked, text) if checked is not None else []
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=doc.version)
        )
        return state

    def schedule(self, uri: str) -> None:
        """Check a changed document once changes pause."""
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(self.debounce, self.check, uri)

    def current(self, uri: str) -> Document | None:
        """The latest check of a document, checked afresh if it changed since."""
        state = self.documents.get(uri)
        try:
            version = self.workspace.get_text_document(uri).version
        except KeyError:
            return None
        if state is None or state.version != version:
            state = self.check(uri)
        return state

    def located(self, state: Document) -> Located | None:
        """The document read as YAML (for its keys), or None where it cannot be."""
        if state.located_version != state.version or state.located is None:
            from checker.base.errors import InputError
            from checker.load.yamlio import load_yaml

            try:
                state.located = load_yaml(state.text.source, "")
            except InputError:
                state.located = None
            state.located_version = state.version
        return state.located

    def forget(self, uri: str) -> None:
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.documents.pop(uri, None)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _position(p: lsp.Position) -> Position:
    return Position(p.line, p.character)


def _range(edit: A.Edit) -> lsp.Range:
    at = lsp.Position(edit.at.line, edit.at.character)
    return lsp.Range(at, at)


def create(defaults: dict[str, Any] | None = None) -> DossierServer:
    server = DossierServer(defaults)

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: DossierServer, params: lsp.InitializeParams) -> None:
        ls.configure(params.initialization_options)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DossierServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.check(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DossierServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DossierServer, params: lsp.DidSaveTextDocumentParams) -> None:
        for uri in list(ls.documents):  # a saved justification file or rule file changes their checks
            ls.check(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DossierServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: DossierServer, params: lsp.HoverParams) -> lsp.Hover | None:
        state = ls.current(params.text_document.uri)
        if state is None or state.checked is None:
            return None
        said = hover(state.checked, ls.located(state), state.text, _position(params.position))
        return lsp.Hover(contents=markup(said)) if said else None

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def on_code_action(ls: DossierServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        state = ls.current(uri)
        if state is None or state.checked is None or state.checked.project.context is None:
            return None
        located = ls.located(state)
        if located is None:
            return None
        first, last = params.range.start.line, params.range.end.line
        result = state.checked.outcome.result
        found = [
            f
            for f in (result.findings if result else ())
            if first <= state.text.at(f.line, f.column).line <= last
        ]
        project = state.checked.project
        assert project.context is not None
        out = []
        for action in A.actions(found, project.context.pack, located, state.text, project.lang):
            edit = lsp.TextEdit(range=_range(action.edit), new_text=action.edit.text)
            matching = [d for d in params.context.diagnostics if d.code == action.rule]
            out.append(
                lsp.CodeAction(
                    title=action.title,
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=matching or None,
                    edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
                )
            )
        return out

    @server.feature(lsp.SHUTDOWN)
    def on_shutdown(ls: DossierServer, *args: Any) -> None:
        ls.projects.close()

    return server


def serve(defaults: dict[str, Any] | None = None) -> None:
    """Serve over standard input and output until the client exits; `defaults` are options as
    the client's initializationOptions give them (`lang`, `config`), which the client's own
    override."""
    create(defaults).start_io()
