"""Every Cypher file in queries/ passes Neo4j's own Cypher linter, warnings included.

Besides running on a live server (tests/test_neo4j_statements.py, test_neo4j_plans.py),
the statements are held to Neo4j's front end without one: ``lintCypherQuery`` from the
npm package ``@neo4j-cypher/language-support``
(Neo4j's parser and semantic analysis), run with the machine's Node.js by
``tests/cypher_lint.mjs``. Each file is linted as Cypher 5 (the default of Neo4j 5 and
2025.x) and as Cypher 25, against netmap's graph schema (labels, relationship types,
property keys, which label each relationship joins) and with only the parameters its
header declares.

The package is installed with npm into the git-ignored ``.cache/cypher-lint/`` when
missing; CI installs it beforehand (docs/ci-neo4j.md). Without Node.js and npm the tests
are skipped with that reason; a failed install fails them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from netmap.store import cypher
from netmap.store.neo4j import graph_schema

ROOT = Path(__file__).resolve().parents[1]
LINTER_PACKAGE = "@neo4j-cypher/language-support"
# 2.0.0-next.38 declares Node >= 24.11.1, yet gives identical results on Node 18.20 and
# 20.20 (checked when it was pinned; the canaries below would fail, not pass in silence,
# if it stopped working). Earlier releases lack the per-statement results and the
# graph-schema checks used here.
LINTER_VERSION = "2.0.0-next.38"
LINTER_PREFIX = ROOT / ".cache" / "cypher-lint"
LINT_SCRIPT = ROOT / "tests" / "cypher_lint.mjs"
CYPHER_VERSIONS = ["CYPHER 5", "CYPHER 25"]


def _installed_version() -> str | None:
    manifest = LINTER_PREFIX / "node_modules" / LINTER_PACKAGE / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


@pytest.fixture(scope="session")
def linter() -> Path:
    """The folder holding the pinned linter package, installed with npm if missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip(
            "Node.js and npm are needed to lint queries/ with Neo4j's Cypher linter: "
            "install Node.js 18 or later with npm (CI does: docs/ci-neo4j.md)"
        )
    if _installed_version() != LINTER_VERSION:
        LINTER_PREFIX.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(LINTER_PREFIX),
                "--no-audit",
                "--no-fund",
                "--save-exact",
                "--loglevel=error",
                f"{LINTER_PACKAGE}@{LINTER_VERSION}",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if done.returncode != 0 or _installed_version() != LINTER_VERSION:
            pytest.fail(
                f"npm could not install {LINTER_PACKAGE}@{LINTER_VERSION} into "
                f"{LINTER_PREFIX}:\n{done.stderr[-2000:]}"
            )
    return LINTER_PREFIX


def lint(prefix: Path, statements: list[dict]) -> dict:
    """Run the linter on ``statements`` ({file, text, parameters}); return its JSON answer."""
    request = {"schema": graph_schema(), "versions": CYPHER_VERSIONS, "statements": statements}
    done = subprocess.run(
        [shutil.which("node") or "node", str(LINT_SCRIPT), str(prefix)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, f"the lint script failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)


def as_lines(result: dict) -> list[str]:
    """Diagnostics as ``queries/FILE.cypher:LINE:COLUMN: [VERSION] severity: message``."""
    return [
        f"queries/{result['file']}.cypher:{d['line']}:{d['column']}: [{result['version']}] "
        f"{d['severity']}: {d['message']}"
        for d in result["diagnostics"]
    ]


@pytest.fixture(scope="module")
def lint_of_every_file(linter) -> dict:
    statements = [
        {"file": name, "text": s.text, "parameters": sorted(s.parameters)}
        for name in cypher.names()
        for s in [cypher.statement(name)]
    ]
    assert len(statements) > 50, "queries/ looks empty: is the checkout complete?"
    return lint(linter, statements)


def test_every_query_file_passes_neo4js_linter_without_a_warning(lint_of_every_file):
    problems = [line for result in lint_of_every_file["results"] for line in as_lines(result)]
    linted = {result["file"] for result in lint_of_every_file["results"]}
    assert linted == set(cypher.names())
    assert not problems, (
        f"{lint_of_every_file['linter']} reports {len(problems)} problem(s):\n"
        + "\n".join(problems)
    )


def test_every_query_file_holds_exactly_one_statement(lint_of_every_file):
    counts = {
        f"queries/{result['file']}.cypher": result["statements"]
        for result in lint_of_every_file["results"]
        if result["statements"] != 1
    }
    assert not counts, f"files that hold other than one statement: {counts}"


# A statement per kind of mistake the linter must catch: if any of these came back clean,
# the linter (or the way it is called) would be broken and the test above meaningless.
BROKEN = {
    "misspelled_keyword": ("MATCH (i:Institution) RETRN i", [], "Invalid input 'RETRN'"),
    "undefined_variable": ("MATCH (i:Institution) RETURN j", [], "Variable `j` not defined"),
    "type_error": ("RETURN 1 + true AS x", [], "Type mismatch"),
    "undeclared_parameter": (
        "MATCH (i:Institution {id: $institution}) RETURN i",
        ["id"],
        "Parameter $institution is not defined",
    ),
    "unknown_label": ("MATCH (i:Institutions) RETURN i", [], "Label Institutions is not present"),
    "unknown_property": ("MATCH (i:Institution) RETURN i.nmae", [], "nmae is not present"),
    "relationship_between_wrong_labels": (
        "MATCH (i:Institution)-[:WORKS_AT]->(c:Contact) RETURN c",
        [],
        "has no incoming",
    ),
    "misspelled_function": ("RETURN coalsce(1, 2) AS x", [], "Function coalsce is not present"),
    "deprecated_syntax": (
        "MATCH (n:City) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
        [],
        "is deprecated",
    ),
}


def test_a_deliberately_broken_statement_gets_a_diagnostic(linter):
    answer = lint(
        linter,
        [
            {"file": f"broken/{name}", "text": text, "parameters": parameters}
            for name, (text, parameters, _) in BROKEN.items()
        ],
    )
    for result in answer["results"]:
        expected = BROKEN[result["file"].removeprefix("broken/")][2]
        messages = [d["message"] for d in result["diagnostics"]]
        assert any(expected in m for m in messages), (
            f"{result['file']} [{result['version']}]: expected a diagnostic containing "
            f"{expected!r}, got {messages}"
        )
    assert answer["linter"] == f"{LINTER_PACKAGE}@{LINTER_VERSION}"


def test_two_statements_in_one_file_are_counted(linter):
    answer = lint(
        linter,
        [
            {
                "file": "two",
                "text": "MATCH (i:Institution) RETURN i;\nRETURN 1 AS x",
                "parameters": [],
            }
        ],
    )
    assert {result["statements"] for result in answer["results"]} == {2}
