"""A scripted Language Server Protocol client: starts `cgt-check lsp` (the real command, in a
subprocess) and speaks JSON-RPC to it over its standard input and output."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parents[2]


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


class Client:
    def __init__(
        self,
        cwd: Path = ROOT,
        options: dict[str, Any] | None = None,
        encodings: list[str] | None = None,
        command: list[str] | None = None,
    ) -> None:
        self.proc = subprocess.Popen(
            command or [sys.executable, "-m", "checker", "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.responses: dict[int, dict[str, Any]] = {}
        self.next_id = 0
        self.versions: dict[str, int] = {}
        assert self.proc.stdout is not None
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()
        capabilities: dict[str, Any] = {
            "textDocument": {"publishDiagnostics": {"versionSupport": True}},
        }
        if encodings is not None:
            capabilities["general"] = {"positionEncodings": encodings}
        self.initialized = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": uri_of(cwd),
                "capabilities": capabilities,
                "initializationOptions": options or {},
            },
        )
        self.notify("initialized", {})

    # ---------------------------------------------------------------- the wire

    def _read(self, stream: BinaryIO) -> None:
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _pump(self, timeout: float) -> bool:
        """Take one message (False when none came in time)."""
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            return False
        if message is None:
            raise ConnectionError("the server closed its output")
        if "id" in message and "method" not in message:
            self.responses[message["id"]] = message
        elif "id" in message:  # a request from the server (e.g. workDoneProgress/create)
            self.send({"id": message["id"], "result": None})
        else:
            self.notifications.append(message)
        return True

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self.next_id += 1
        mid = self.next_id
        self.send({"id": mid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while mid not in self.responses:
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self._pump(0.1)
        response = self.responses.pop(mid)
        if "error" in response:
            raise RuntimeError(response["error"])
        return response.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait(self, accept: Callable[[dict[str, Any]], bool], timeout: float = 60) -> dict[str, Any]:
        """The first notification (already received or coming) that `accept` takes; it is consumed."""
        deadline = time.monotonic() + timeout
        while True:
            for i, n in enumerate(self.notifications):
                if accept(n):
                    return self.notifications.pop(i)
            if time.monotonic() > deadline:
                raise TimeoutError("no such notification")
            self._pump(0.05)

    # ---------------------------------------------------------------- documents

    def diagnostics(self, uri: str, timeout: float = 60) -> list[dict[str, Any]]:
        """The diagnostics published for the document's current version."""
        version = self.versions.get(uri)
        n = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            ),
            timeout,
        )
        return list(n["params"]["diagnostics"])

    def open(self, uri: str, text: str) -> None:
        self.versions[uri] = 1
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )

    def change(self, uri: str, text: str) -> None:
        """Replace the whole text (a change without a range)."""
        self.versions[uri] += 1
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": self.versions[uri]}, "contentChanges": [{"text": text}]},
        )

    def edit(self, uri: str, start: tuple[int, int], end: tuple[int, int], text: str) -> None:
        """An incremental change of a range."""
        self.versions[uri] += 1
        change = {
            "range": {
                "start": {"line": start[0], "character": start[1]},
                "end": {"line": end[0], "character": end[1]},
            },
            "text": text,
        }
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": self.versions[uri]}, "contentChanges": [change]},
        )

    def close(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def shutdown(self) -> int:
        try:
            self.request("shutdown", None, timeout=20)
            self.notify("exit", None)
            return self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def apply_edit(text: str, edit: dict[str, Any]) -> str:
    """A text edit applied to a text (positions in UTF-16 code units, lines at \\n)."""
    lines = text.split("\n")

    def offset(pos: dict[str, int]) -> int:
        line = lines[pos["line"]] if pos["line"] < len(lines) else ""
        before = sum(len(x) + 1 for x in lines[: pos["line"]])
        chars, units = 0, 0
        while chars < len(line) and units < pos["character"]:
            units += 2 if ord(line[chars]) > 0xFFFF else 1
            chars += 1
        return min(before + chars, len(text))

    start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
    return text[:start] + edit["newText"] + text[end:]
