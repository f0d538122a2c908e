"""The app on a damaged store shows the one message the README promises ("every page
shows one message saying so, and what to check"), never an exception. Each store here is
a real netmap file, damaged as disks and hand edits damage files."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from app_fixtures import PAGES, app_test, page_test
from typer.testing import CliRunner

from netmap.cli import app
from netmap.io import import_into
from netmap.resources import data_file
from netmap.store import SQLiteStore
from netmap.ui import access, stores


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("healthy") / "netmap.db"
    store = SQLiteStore(path, actor="fixture")
    import_into(store, data_file("demo"))
    store.compact()
    return path


def overwrite(at: float, size: int):
    def damage(path: Path) -> None:
        overwrite_bytes(path, int(path.stat().st_size * at), size)

    return damage


def overwrite_bytes(path: Path, start: int, size: int) -> None:
    data = bytearray(path.read_bytes())
    data[start : start + size] = os.urandom(size)
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def edit(statement: str):
    def damage(path: Path) -> None:
        with sqlite3.connect(path) as connection:
            connection.execute(statement)

    return damage


DAMAGE = {
    "garbage in the middle": overwrite(0.5, 8192),
    # The schema's cells fill page 1 (4 KiB) from its end; with the search table's
    # triggers it no longer fits there alone, and the start of the page may be unused.
    "garbage in the schema": lambda path: overwrite_bytes(path, 4096 - 3000, 3000),
    "cut short": truncate,
    "a list that is not one": edit("UPDATE institutions SET languages = '[\"el\"' WHERE rowid = 3"),
    "a word where a number belongs": edit("UPDATE cities SET lat = 'north' WHERE rowid = 1"),
    "no revision": edit("UPDATE meta SET value = 'abc' WHERE key = 'revision'"),
    "not a database at all": lambda path: path.write_bytes(os.urandom(50_000)),
}


@pytest.fixture(params=list(DAMAGE))
def damaged(request, healthy, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "netmap.db"
    shutil.copy(healthy, path)
    DAMAGE[request.param](path)
    monkeypatch.setenv("NETMAP_STORE", f"sqlite:///{path}")
    for name in ("NETMAP_ROLE", "NETMAP_MODE"):
        monkeypatch.delenv(name, raising=False)
    access.forget_accounts()
    stores._open_store.clear()
    yield path
    stores._open_store.clear()
    access.forget_accounts()


def one_message(at) -> str:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    message = at.error[0].value
    assert message.startswith("netmap cannot open its store")
    return message


def test_the_whole_app_on_a_damaged_store_shows_one_message(damaged):
    message = one_message(app_test().run())
    assert "damaged" in message or "not a netmap store" in message


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_on_a_damaged_store_shows_one_message(damaged, page):
    one_message(page_test(page).run())


def test_the_command_line_on_a_damaged_store_says_one_line(damaged):
    result = CliRunner().invoke(app, ["--store", f"sqlite:///{damaged}", "stats"])
    if result.exit_code == 0:
        pytest.skip("the damage does not touch what stats reads")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ")
