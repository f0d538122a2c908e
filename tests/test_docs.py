"""The README and the guides say what the code does, and every link in them leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netmap.io.tables import TABLE_COLUMNS, required_columns

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
USER_GUIDE = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")


def test_the_user_guide_table_format_matches_the_code():
    documented = dict(re.findall(r"^\| (\w+) \| ([a-z_*, ]+) \|$", USER_GUIDE, re.MULTILINE))
    for kind, columns in TABLE_COLUMNS.items():
        required = required_columns(kind)
        expected = ", ".join(c + ("*" if c in required else "") for c in columns)
        assert documented.get(kind.value) == expected, f"user guide table {kind.value}"


def test_the_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    last = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")][-1]
    assert last in README


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_link_in_the_documents_leads_somewhere(document):
    text = document.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address: not followed (the tests stay offline)
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        assert linked.exists(), f"{document.name}: {target} leads nowhere"
        if anchor and linked.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.MULTILINE)
            assert anchor in {_anchor(h) for h in headings}, f"{document.name}: no #{anchor}"
