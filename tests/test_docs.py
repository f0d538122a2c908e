"""The README says what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from netmap.io.tables import TABLE_COLUMNS, required_columns

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_readme_table_format_matches_the_code():
    documented = dict(re.findall(r"^\| (\w+) \| ([a-z_*, ]+) \|$", README, re.MULTILINE))
    for kind, columns in TABLE_COLUMNS.items():
        required = required_columns(kind)
        expected = ", ".join(c + ("*" if c in required else "") for c in columns)
        assert documented.get(kind.value) == expected, f"README table {kind.value}"


def test_the_readme_test_command_is_what_ci_runs():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    last = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")][-1]
    assert last in README
