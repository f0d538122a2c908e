"""The ``netmap`` command, driven through its real entry point."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from netmap.cli import app

USER_GUIDE = Path(__file__).resolve().parent.parent / "docs" / "user-guide.md"
runner = CliRunner()


def netmap(store_url: str, *args: str):
    return runner.invoke(app, ["--store", store_url, *args])


@pytest.fixture
def store_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_init_demo_then_stats_shows_the_demo_network(store_url):
    result = netmap(store_url, "init", "--demo")
    assert result.exit_code == 0, result.output
    assert "114 institutions" in result.output
    stats = netmap(store_url, "stats", "--json")
    assert stats.exit_code == 0
    data = json.loads(stats.output)
    assert data["counts"]["institutions"] >= 90
    assert data["institutions_by_country"]["RS"] > 0
    table = netmap(store_url, "stats")
    assert "Institutions by sector" in table.output
    assert "Civil society" in table.output


def test_init_demo_twice_changes_nothing(store_url):
    netmap(store_url, "init", "--demo")
    again = netmap(store_url, "init", "--demo")
    assert again.exit_code == 0
    assert "Nothing changed" in again.output


def test_a_spreadsheet_with_mistakes_is_refused_with_every_mistake_and_exit_1(store_url, tmp_path):
    folder = tmp_path / "sheet"
    folder.mkdir()
    (folder / "institutions.csv").write_text(
        "id,name,sector,country\na,Good,police,GR\nb,,police,GR\nc,Bad,polce,XX\n",
        encoding="utf-8",
    )
    result = netmap(store_url, "import", str(folder))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "institutions.csv:3: name: required, but empty" in lines
    assert any(
        line.startswith("institutions.csv:4: sector: unknown sector 'polce'") for line in lines
    )
    assert any(line.startswith("institutions.csv:4: country:") for line in lines)
    assert lines[-1] == "3 errors: nothing was written."
    assert "Traceback" not in result.output
    assert json.loads(netmap(store_url, "stats", "--json").output)["counts"]["institutions"] == 0


def look_alike_institutions(folder: Path, pairs: int) -> None:
    """An institutions table where each name appears twice under two ids."""
    folder.mkdir()
    rows = [
        f"{key}{n},Centre number {n},social_services,GR,reported"
        for n in range(pairs)
        for key in "ab"
    ]
    (folder / "institutions.csv").write_text(
        "id,name,sector,country,evidence\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )


def test_a_few_import_warnings_are_printed_each_on_its_line(store_url, tmp_path):
    look_alike_institutions(tmp_path / "sheet", 3)
    result = netmap(store_url, "import", str(tmp_path / "sheet"))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 3
    assert "institutions.csv:3: name: 'Centre number 0' looks like 'a0'" in warnings[0]
    assert "in all" not in result.stderr


def test_many_import_warnings_are_counted_and_written_to_a_file(store_url, tmp_path, monkeypatch):
    """At 100,000 institutions an import found 1,740 look-alike names: the terminal shows
    the first few and a count, and names the file that holds every one."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    look_alike_institutions(tmp_path / "sheet", 40)
    result = netmap(store_url, "import", str(tmp_path / "sheet"))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    shown = [line for line in lines if line.startswith("warning: ")]
    assert len(shown) == 5
    summary = next(line for line in lines if " in all " in line)
    assert summary.startswith("40 warnings in all (name: 40); the first 5 above, every one in ")
    written = Path(summary.rsplit(" in ", 1)[1])
    assert written.parent == tmp_path
    every = written.read_text(encoding="utf-8").splitlines()
    assert len(every) == 40 and every[:5] == shown
    assert every[-1].startswith("warning: institutions.csv:81: name: 'Centre number 39' looks")
    assert "Imported into" in result.stdout


def test_import_dry_run_writes_nothing(store_url, tmp_path):
    netmap(store_url, "init", "--demo")
    exported = tmp_path / "demo-copy"
    assert netmap(store_url, "export", str(exported)).exit_code == 0
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = netmap(fresh, "import", "--dry-run", str(exported))
    assert result.exit_code == 0
    assert "Dry run: nothing was written." in result.output
    assert re.search(r"institutions\s+│\s+114", result.output)
    assert json.loads(netmap(fresh, "stats", "--json").output)["counts"]["institutions"] == 0


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("net.xlsx", None),
        ("net.json", None),
        ("net.graphml", None),
        ("net.gexf", None),
        ("folder", "csv"),
    ],
)
def test_export_writes_each_format(store_url, tmp_path, name, fmt):
    netmap(store_url, "init", "--demo")
    args = ["export", str(tmp_path / name)] + (["--format", fmt] if fmt else [])
    result = netmap(store_url, *args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).exists()


def test_export_redact_leaves_out_contacts(store_url, tmp_path):
    netmap(store_url, "init", "--demo")
    netmap(store_url, "export", "--redact", str(tmp_path / "r"))
    assert not (tmp_path / "r" / "contacts.csv").exists()
    assert (tmp_path / "r" / "institutions.csv").exists()


def test_an_unknown_format_or_store_is_one_line_and_exit_1(store_url, tmp_path):
    result = netmap(store_url, "export", "--format", "pdf", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: unknown export format 'pdf' (one of: csv, xlsx, json, graphml, gexf)"
    ]
    result = netmap("mysql://server/db", "stats")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown store URL scheme 'mysql'")


def test_a_file_that_is_not_a_store_is_refused_clearly(tmp_path):
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("this is not a database, just text " * 100)
    result = netmap(f"sqlite:///{not_a_store}", "stats")
    assert result.exit_code == 1
    assert "not a netmap store" in result.stderr
    assert "Traceback" not in result.output


def test_the_store_comes_from_the_environment_when_not_given(tmp_path, monkeypatch):
    monkeypatch.setenv("NETMAP_STORE", f"sqlite:///{tmp_path / 'env.db'}")
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_python_dash_m_and_the_console_script_both_run():
    module = subprocess.run(
        [sys.executable, "-m", "netmap", "--version"], capture_output=True, text=True, check=True
    )
    assert module.stdout.startswith("netmap ")
    script = Path(sys.executable).with_name("netmap")
    if script.exists():
        result = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
        assert "import" in result.stdout


def test_every_command_is_documented_in_the_user_guide_and_has_help():
    guide = USER_GUIDE.read_text(encoding="utf-8")
    for name, command in get_command(app).commands.items():
        assert f"netmap {name}" in guide, f"the user guide does not show `netmap {name}`"
        assert command.help, f"`netmap {name}` has no help text"


def test_stale_prints_a_name_with_brackets_as_written(store_url):
    """Regression: ``stale`` built its table from markup, so a contact named
    ``Ana [/b] Petrova`` made it exit 1 with a MarkupError traceback."""
    from netmap.model import Contact
    from netmap.store import open_store

    netmap(store_url, "init", "--demo")
    store = open_store(store_url)
    try:
        store.add(
            Contact(
                id="c-brackets", institution_id="gr-thessaloniki-arsis", name="Ana [/b] Petrova"
            )
        )
    finally:
        store.close()
    result = netmap(store_url, "stale")
    assert result.exit_code == 0, result.output
    assert "Ana [/b] Petrova" in result.output


def test_the_cli_and_the_app_name_a_country_alike(store_url):
    """Regression: the CLI said "Moldova, Republic of" where the app said "Moldova", and
    Kosovo was named in four places; one function now names countries for both."""
    import ast

    from netmap.codes import country_name

    package = Path(__file__).resolve().parent.parent / "netmap"
    defined = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "country_name"
    ]
    assert defined == ["codes.py"]
    assert country_name("MD") == "Moldova"
    assert country_name("XK") == "Kosovo"
    netmap(store_url, "init", "--demo")
    stats = netmap(store_url, "stats").output
    assert "Moldova, Republic of" not in stats
