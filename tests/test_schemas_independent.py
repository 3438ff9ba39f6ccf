"""The published schemas, checked by an independent implementation: Ajv (JavaScript) in strict
mode compiles all three, validates every example dossier against the dossier schema, and refuses
a dossier that uses a field or a value of another format version than its own."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");
const fs = require("fs");
const ajv = new Ajv2020({strict: true, allErrors: true});
addFormats(ajv);
const ids = {};
for (const name of ["dossier", "rule", "report"]) {
  const schema = JSON.parse(fs.readFileSync(process.argv[2] + "/" + name + ".schema.json"));
  ajv.compile(schema);
  ids[name] = schema["$id"];
}
const validate = ajv.getSchema(ids.dossier);
const docs = JSON.parse(fs.readFileSync(process.argv[3]));
let bad = 0;
for (const [p, d] of Object.entries(docs)) {
  if (!validate(d)) { bad++; console.log(p, JSON.stringify(validate.errors)); }
}
console.log("validated", Object.keys(docs).length, "invalid", bad);
const refused = JSON.parse(fs.readFileSync(process.argv[4]));
let accepted = [];
for (const [p, d] of Object.entries(refused)) {
  if (validate(d)) { accepted.push(p); }
}
console.log("accepted of the refused:", JSON.stringify(accepted));
"""


def _refused() -> dict[str, object]:
    """Dossiers the schema must refuse: a field or a value of another format version than the
    dossier's own (the model refuses each at its field too)."""
    v1 = yaml.safe_load((ROOT / "rules" / "cases" / "format-1.0" / "car-t-approved.yaml").read_text("utf-8"))
    v2 = yaml.safe_load(
        (ROOT / "examples" / "dossiers" / "clean" / "car-t-label-revision.yaml").read_text("utf-8")
    )
    v1, v2 = json.loads(json.dumps(v1, default=str)), json.loads(json.dumps(v2, default=str))
    out: dict[str, object] = {}
    coded = json.loads(json.dumps(v1))
    coded["clinical_trials"][0]["primary_endpoint"]["measure_code"] = "objective-response-rate"
    out["1.0 with a coded endpoint"] = coded
    window = json.loads(json.dumps(v1))
    window["clinical_trials"][0]["primary_endpoint"]["window"] = {
        "start": {"value": 7, "unit": "week"},
        "end": {"value": 52, "unit": "week"},
    }
    out["1.0 with an assessment window"] = window
    labels = json.loads(json.dumps(v1))
    labels["labels"] = v2["labels"]
    out["1.0 with labels"] = labels
    topic = json.loads(json.dumps(v1))
    topic["label"]["warnings"].append({"topic": "hepatotoxicity"})
    out["1.0 with a 2.0 warning topic"] = topic
    label = json.loads(json.dumps(v2))
    label["label"] = v1["label"]
    out["2.0 with the 1.0 label"] = label
    return out


@pytest.mark.slow
def test_ajv_strict_accepts_the_schemas_and_the_examples(tmp_path: Path) -> None:
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are needed for the independent validator")
    install = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", "ajv@8", "ajv-formats@3"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if install.returncode != 0:
        pytest.skip(f"npm could not install ajv: {install.stderr[-300:]}")
    docs = {
        str(p.relative_to(ROOT)): json.loads(json.dumps(yaml.safe_load(p.read_text("utf-8")), default=str))
        for p in sorted((ROOT / "examples" / "dossiers").rglob("*.yaml"))
    }
    (tmp_path / "docs.json").write_text(json.dumps(docs), "utf-8")
    (tmp_path / "refused.json").write_text(json.dumps(_refused()), "utf-8")
    (tmp_path / "check.js").write_text(SCRIPT, "utf-8")
    proc = subprocess.run(
        ["node", "check.js", str(ROOT / "schemas"), "docs.json", "refused.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"validated {len(docs)} invalid 0" in proc.stdout, proc.stdout[-2000:]
    assert proc.stdout.strip().endswith("accepted of the refused: []"), proc.stdout[-2000:]
