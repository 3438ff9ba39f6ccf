"""Neovim (headless, as Debian packages it) as the language server's client: its built-in LSP
client starts `cgt-check lsp` for a dossier, and the diagnostics it shows are the CLI's
findings; hovering on one shows the rule's citation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lsp.client import ROOT

pytest.importorskip("pygls")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed"),
]

AS_OF = "2026-06-01"

# Works with Neovim 0.7 (vim.lsp.start_client) and later.
SCRIPT = """
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = "cgt-check",
  cmd = { vim.env.PYTHON, "-m", "checker", "lsp" },
  root_dir = vim.env.ROOT,
  init_options = { ["as-of"] = vim.env.AS_OF },
})
vim.lsp.buf_attach_client(buf, id)
vim.wait(60000, function() return #vim.diagnostic.get(buf) >= tonumber(vim.env.EXPECTED) end, 50)
local result = { diagnostics = {}, hover = vim.NIL }
local all = vim.diagnostic.get(buf)
for _, d in ipairs(all) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  table.insert(result.diagnostics, { code = code, lnum = d.lnum, col = d.col })
end
if #all > 0 then
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) },
                   position = { line = all[1].lnum, character = all[1].col } }
  for _, r in pairs(vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 30000) or {}) do
    if r.result then result.hover = r.result.contents.value end
  end
end
local f = io.open(vim.env.OUT, "w")
f:write(vim.fn.json_encode(result))
f:close()
vim.lsp.stop_client(id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 50)
vim.cmd("qall!")
"""


@pytest.mark.parametrize(
    "example", ["gaps/pm-commitments.yaml", "gaps/ind-rationale.yaml", "gaps/nda-bridging.yaml"]
)
def test_neovim_shows_the_cli_findings(tmp_path: Path, example: str) -> None:
    dossier = ROOT / "examples" / "dossiers" / example
    cli = subprocess.run(
        [sys.executable, "-m", "checker", "check", str(dossier), "-f", "json", "--as-of", AS_OF],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    (report,) = json.loads(cli.stdout)["dossiers"]
    lines = dossier.read_text("utf-8").split("\n")
    expected = sorted(
        (f["rule_id"], f["line"] - 1, len(lines[f["line"] - 1][: f["column"] - 1].encode("utf-16-le")) // 2)
        for f in report["findings"]
    )
    script, out = tmp_path / "client.lua", tmp_path / "out.json"
    script.write_text(SCRIPT, "utf-8")
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "ROOT": str(ROOT),
        "AS_OF": AS_OF,
        "OUT": str(out),
        "EXPECTED": str(len(expected)),
        "XDG_STATE_HOME": str(tmp_path),  # Neovim's LSP log, not the user's
    }
    proc = subprocess.run(
        ["nvim", "--headless", "-u", "NONE", "-i", "NONE", str(dossier), "-c", f"luafile {script}"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(out.read_text("utf-8"))
    assert sorted((d["code"], d["lnum"], d["col"]) for d in shown["diagnostics"]) == expected
    first = report["findings"][0]
    if first["citation"]["quote"]:
        assert " ".join(first["citation"]["quote"].split())[:60] in shown["hover"]
