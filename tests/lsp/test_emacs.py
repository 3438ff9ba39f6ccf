"""Emacs (batch) with eglot as the language server's client: eglot starts `cgt-check lsp` for a
dossier, Flymake holds the CLI's findings at their lines and columns, and the code actions are
offered. Eglot is built into Emacs 29; Debian 12's Emacs 28 has it as the elpa-eglot package."""

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
    pytest.mark.skipif(shutil.which("emacs") is None, reason="Emacs is not installed"),
]

AS_OF = "2026-06-01"
ELPA = Path("/usr/share/emacs/site-lisp/elpa")  # where Debian installs elpa-* packages

SCRIPT = r"""
(when (file-directory-p (getenv "ELPA"))
  (dolist (d (directory-files (getenv "ELPA") t "^[a-z]")) (add-to-list 'load-path d)))
(unless (require 'eglot nil t) (kill-emacs 3))
(unless (fboundp 'yaml-mode) (define-derived-mode yaml-mode prog-mode "YAML"))
(add-to-list 'eglot-server-programs
             `(yaml-mode . (,(getenv "PYTHON") "-m" "checker" "lsp"
                            :initializationOptions (:as-of ,(getenv "AS_OF")))))
(find-file (getenv "DOSSIER"))
(yaml-mode)
(apply #'eglot (eglot--guess-contact))
(let ((n 0) (want (string-to-number (getenv "EXPECTED"))))
  (while (and (< n 1200) (< (length (flymake-diagnostics)) want))
    (accept-process-output nil 0.1)
    (setq n (1+ n))))
(let* ((shown (mapcar (lambda (d)
                        (let ((beg (flymake-diagnostic-beg d)))
                          (list (1- (line-number-at-pos beg))
                                (save-excursion (goto-char beg) (- (point) (line-beginning-position)))
                                (flymake-diagnostic-text d))))
                      (flymake-diagnostics)))
       (first (car (sort (copy-sequence shown) (lambda (a b) (< (car a) (car b))))))
       (actions (jsonrpc-request (eglot--current-server-or-lose) :textDocument/codeAction
                  (list :textDocument (eglot--TextDocumentIdentifier)
                        :range (list :start (list :line (nth 0 first) :character (nth 1 first))
                                     :end (list :line (nth 0 first) :character (nth 1 first)))
                        :context (list :diagnostics [])))))
  (with-temp-file (getenv "OUT")
    (insert (json-encode (list (cons 'shown (vconcat (mapcar #'vconcat shown)))
                               (cons 'actions (vconcat (mapcar (lambda (a) (plist-get a :title)) actions))))))))
(eglot-shutdown (eglot--current-server-or-lose))
(kill-emacs 0)
"""


def test_eglot_shows_the_cli_findings_and_offers_the_fixes(tmp_path: Path) -> None:
    dossier = ROOT / "examples" / "dossiers" / "gaps" / "pm-commitments.yaml"
    cli = subprocess.run(
        [sys.executable, "-m", "checker", "check", str(dossier), "-f", "json", "--as-of", AS_OF],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    (report,) = json.loads(cli.stdout)["dossiers"]
    expected = sorted((f["line"] - 1, f["column"] - 1) for f in report["findings"])  # ASCII lines
    script, out = tmp_path / "client.el", tmp_path / "out.json"
    script.write_text(SCRIPT, "utf-8")
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "ELPA": str(ELPA),
        "AS_OF": AS_OF,
        "DOSSIER": str(dossier),
        "OUT": str(out),
        "EXPECTED": str(len(expected)),
        "HOME": str(tmp_path),
    }
    proc = subprocess.run(
        ["emacs", "--batch", "-Q", "-l", str(script)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    if proc.returncode == 3:
        pytest.skip("eglot is not installed")
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(out.read_text("utf-8"))
    assert sorted((line, column) for line, column, _ in result["shown"]) == expected
    codes = {f["rule_id"] for f in report["findings"]}
    assert all(any(f"[{code}]" in said for _, _, said in result["shown"]) for code in codes)
    assert any(title.startswith("Add a post_approval_commitments item") for title in result["actions"])
