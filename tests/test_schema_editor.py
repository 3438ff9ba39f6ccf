"""The published dossier schema in an editor: yaml-language-server (the YAML extension of VS Code
and other editors) completes a 2.0 dossier's fields from it and says where a 1.0 dossier uses a
2.0 field, through the `# yaml-language-server: $schema=...` comment the templates write."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = (ROOT / "schemas" / "dossier.schema.json").as_uri()
HEAD = f"# yaml-language-server: $schema={SCHEMA}\n"


class _Server:
    """A yaml-language-server over standard input and output (the Language Server Protocol)."""

    def __init__(self, cwd: Path) -> None:
        server = cwd / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
        self.proc = subprocess.Popen(
            ["node", str(server), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while True:
            length = 0
            while line := self.proc.stdout.readline().decode("ascii").strip():
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not length:
                return
            self.messages.put(json.loads(self.proc.stdout.read(length)))

    def send(self, **message: Any) -> None:
        assert self.proc.stdin is not None
        data = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def next(
        self, method: str | None = None, ident: int | None = None, timeout: float = 30
    ) -> dict[str, Any]:
        """The next message of `method` or answering `ident`, answering the server's requests."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                m = self.messages.get(timeout=0.5)
            except queue.Empty:
                continue
            if m.get("method") == "workspace/configuration":
                settings = {"completion": True, "validate": True, "schemas": {}}
                self.send(id=m["id"], result=[settings for _ in m["params"]["items"]])
            elif "id" in m and "method" in m:
                self.send(id=m["id"], result=None)
            elif (method is not None and m.get("method") == method) or (
                ident is not None and m.get("id") == ident
            ):
                return m
        raise TimeoutError(method or ident)

    def diagnostics_after(self, uri: str, text: str, version: int) -> list[tuple[int, str]]:
        """The diagnostics of the document once the server has settled on `text`."""
        self.send(
            method="textDocument/didChange",
            params={"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
        last: list[tuple[int, str]] = []
        try:
            while True:
                m = self.next("textDocument/publishDiagnostics", timeout=5)
                last = [(d["range"]["start"]["line"], d["message"]) for d in m["params"]["diagnostics"]]
        except TimeoutError:
            return last


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are needed for yaml-language-server")
    cwd = tmp_path_factory.mktemp("yls")
    install = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", "yaml-language-server@1"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if install.returncode != 0:
        pytest.skip(f"npm could not install yaml-language-server: {install.stderr[-300:]}")
    s = _Server(cwd)
    s.send(id=1, method="initialize", params={"processId": None, "rootUri": None, "capabilities": {}})
    s.next(ident=1)
    s.send(method="initialized", params={})
    yield s
    s.proc.kill()
    s.proc.wait()
    for stream in (s.proc.stdin, s.proc.stdout):
        if stream is not None:
            stream.close()


@pytest.mark.slow
def test_an_editor_completes_2_0_fields_and_flags_them_in_a_1_0_dossier(server: _Server) -> None:
    uri = "file:///dossier.yaml"
    text = HEAD + 'schema_version: "2.0"\nproduct: {name: X, modality: car-t}\nlabels:\n  - id: l\n    \n'
    server.send(
        method="textDocument/didOpen",
        params={"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )
    server.send(
        id=2,
        method="textDocument/completion",
        params={"textDocument": {"uri": uri}, "position": {"line": 5, "character": 4}},
    )
    result = server.next(ident=2)["result"]
    labels = {item["label"] for item in (result["items"] if isinstance(result, dict) else result)}
    assert {"status", "indications", "revises", "warnings", "follow_up"} <= labels
    complete = text.replace("  - id: l\n    \n", "  - id: l\n    status: approved\n")
    assert server.diagnostics_after(uri, complete, 2) == []
    old = complete.replace('"2.0"', '"1.0"')
    assert server.diagnostics_after(uri, old, 3) == [(3, "Property labels is not allowed.")]
