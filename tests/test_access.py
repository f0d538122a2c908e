"""Roles are enforced in the library, the same for every caller: a matrix of roles x actions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from netmap.access import Action, GuardedStore, Role, User, allowed
from netmap.accounts import add_account, sign_in, user_for_email
from netmap.cli import app
from netmap.errors import AccessDenied
from netmap.export import export_network
from netmap.io import import_into
from netmap.model import Institution, RecordKind
from netmap.resources import data_file
from netmap.store.base import RecordSet

ADMIN = User("admin", Role.ADMIN)
PASSWORD = "correct horse battery"


def as_role(store, role: Role) -> GuardedStore:
    return GuardedStore(store, User(f"a {role}", role))


def an_institution(number: int = 1) -> Institution:
    return Institution(id=f"gr-new-{number}", name=f"New {number}", sector="health", country="GR")


# What each role may do, through the library API.
OPERATIONS = {
    "read": (Action.READ_NETWORK, lambda s: s.snapshot()),
    "add": (Action.EDIT, lambda s: s.add(an_institution())),
    "import": (Action.IMPORT, lambda s: s.write(RecordSet())),
    "log": (Action.VIEW_LOG, lambda s: s.changes()),
    "erase": (Action.ERASE, lambda s: _erase(s)),
}


def _erase(store):
    from netmap.privacy import erase_person

    return erase_person(store, store.user, "c-plovdiv-valkov")


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_each_role_may_do_exactly_what_its_rank_allows(demo_store, role, operation):
    action, run = OPERATIONS[operation]
    guarded = as_role(demo_store, role)
    if allowed(guarded.user, action):
        run(guarded)
    else:
        with pytest.raises(AccessDenied, match=f"may not {action.value}"):
            run(guarded)


def test_the_ranks_are_viewer_member_editor_admin():
    assert [r for r in Role if allowed(User("x", r), Action.READ_PERSONAL)] == [
        Role.MEMBER,
        Role.EDITOR,
        Role.ADMIN,
    ]
    assert [r for r in Role if allowed(User("x", r), Action.EDIT)] == [Role.EDITOR, Role.ADMIN]
    assert [r for r in Role if allowed(User("x", r), Action.BACKUP)] == [Role.ADMIN]


def test_a_viewer_sees_no_contact_email_or_phone_anywhere(demo_store, tmp_path):
    viewer = as_role(demo_store, Role.VIEWER)
    network = viewer.snapshot()
    assert network.contacts["email"].isna().all()
    assert network.contacts["name"].isna().all()
    with pytest.raises(AccessDenied):  # a guessed id would tell whether someone is listed
        viewer.get(RecordKind.CONTACT, "c-arsis-antitrafficking")
    assert all(c.email is None for c in viewer.list(RecordKind.CONTACT))
    for fmt, name in [
        ("csv", "csv"),
        ("xlsx", "x.xlsx"),
        ("json", "x.json"),
        ("graphml", "x.graphml"),
    ]:
        export_network(viewer.snapshot(), tmp_path / "exports" / name, fmt)
    exports = (tmp_path / "exports").rglob("*")
    text = b"".join(p.read_bytes() for p in exports if p.is_file())
    assert b"arsis.antitrafficking@gmail.com" not in text
    assert "Korać".encode() not in text


def test_a_member_sees_contacts_in_full(demo_store):
    member = as_role(demo_store, Role.MEMBER)
    assert member.get(RecordKind.CONTACT, "c-arsis-antitrafficking").email.endswith("gmail.com")


def test_changes_are_recorded_under_the_acting_user(demo_store):
    editor = as_role(demo_store, Role.EDITOR)
    editor.add(an_institution(7))
    assert demo_store.changes(record_id="gr-new-7")[0].actor == "a editor"


def test_a_guarded_store_does_not_change_the_shared_stores_author(demo_store):
    as_role(demo_store, Role.EDITOR)
    assert demo_store.actor == "tester"


def test_a_guarded_store_reaches_nothing_beyond_the_protocol(demo_store):
    with pytest.raises(AttributeError):
        as_role(demo_store, Role.ADMIN).compact()


def test_accounts_sign_in_with_an_argon2_hash_and_never_store_the_password(demo_store):
    account = add_account(demo_store, ADMIN, "eleni", "editor", PASSWORD)
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash
    assert sign_in(demo_store, "eleni", PASSWORD) == User("eleni", Role.EDITOR)
    assert sign_in(demo_store, "eleni", "wrong password!") is None
    assert sign_in(demo_store, "nobody", PASSWORD) is None
    assert PASSWORD.encode() not in demo_store.path.read_bytes()


def test_an_identity_provider_email_maps_to_its_role_only_if_allowed(demo_store):
    add_account(demo_store, ADMIN, "ana", "member", email="Ana@Example.org")
    assert user_for_email(demo_store, "ana@example.org") == User("ana", Role.MEMBER)
    assert user_for_email(demo_store, "intruder@example.org") is None


def test_only_admins_manage_accounts_and_short_passwords_are_refused(demo_store):
    with pytest.raises(AccessDenied):
        add_account(demo_store, User("e", Role.EDITOR), "x", "viewer", PASSWORD)
    with pytest.raises(Exception, match="at least 12"):
        add_account(demo_store, ADMIN, "x", "viewer", "short")


runner = CliRunner()


@pytest.mark.parametrize(
    ("role", "command", "allowed_to"),
    [
        ("viewer", ["stats"], True),
        ("viewer", ["log"], False),
        ("viewer", ["person", "export", "c-arsis-antitrafficking"], False),
        ("editor", ["import", str(data_file("demo"))], True),
        ("member", ["import", str(data_file("demo"))], False),
        ("editor", ["backup", "BACKUP"], False),
        ("admin", ["log", "--limit", "1"], True),
    ],
)
def test_the_cli_enforces_the_role_of_the_acting_account(
    demo_store, tmp_path, role, command, allowed_to
):
    add_account(demo_store, ADMIN, role, role, PASSWORD)
    url = f"sqlite:///{demo_store.path}"
    command = [str(tmp_path / "b.db") if part == "BACKUP" else part for part in command]
    result = runner.invoke(app, ["--store", url, "--user", role, *command])
    if allowed_to:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1
        assert "may not" in result.stderr


def test_a_viewer_export_from_the_cli_holds_no_email(demo_store, tmp_path):
    add_account(demo_store, ADMIN, "v", "viewer", PASSWORD)
    url = f"sqlite:///{demo_store.path}"
    runner.invoke(app, ["--store", url, "--user", "v", "export", str(tmp_path / "out.json")])
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert "contacts" not in document["tables"]  # below member, never a contacts table


def test_an_unknown_acting_account_is_refused(demo_store):
    result = runner.invoke(
        app, ["--store", f"sqlite:///{demo_store.path}", "--user", "ghost", "stats"]
    )
    assert result.exit_code == 1
    assert "no account 'ghost'" in result.stderr


def test_importing_as_an_editor_goes_through_the_guard(demo_store, tmp_path):
    editor = as_role(demo_store, Role.EDITOR)
    report = import_into(editor, data_file("demo"))
    assert report.plan.changes == 0


def _netmap(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The ``netmap`` command as a user runs it: a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "netmap", *args],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_accounts_are_added_listed_changed_and_removed_through_the_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'team.db'}"
    assert _netmap("--store", url, "init").returncode == 0
    added = _netmap(
        "--store", url, "users", "add", "eleni", "--role", "editor", "--password-stdin",
        stdin="correct horse battery\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = _netmap("--store", url, "users", "list", "--json")
    assert json.loads(listed.stdout) == [
        {"name": "eleni", "role": "editor", "email": None, "password": True}
    ]
    assert "eleni" in _netmap("--store", url, "users", "list").stdout

    again = _netmap("--store", url, "users", "add", "eleni", "--no-password", "--email", "e@x.gr")
    assert again.returncode == 1
    assert again.stderr.strip() == (
        "error: there is already an account 'eleni'; use set-role to change it"
    )
    short = _netmap("--store", url, "users", "add", "nikos", "--password-stdin", stdin="short\n")
    assert short.returncode == 1
    assert "at least" in short.stderr and "Traceback" not in short.stderr

    promoted = _netmap("--store", url, "users", "set-role", "eleni", "admin")
    assert promoted.returncode == 0, promoted.stderr
    assert "eleni is now admin" in promoted.stdout
    wrong_role = _netmap("--store", url, "users", "set-role", "eleni", "boss")
    assert wrong_role.returncode == 1 and "Traceback" not in wrong_role.stderr

    removed = _netmap("--store", url, "users", "remove", "eleni")
    assert removed.returncode == 0, removed.stderr
    assert json.loads(_netmap("--store", url, "users", "list", "--json").stdout) == []
    gone = _netmap("--store", url, "users", "remove", "eleni")
    assert gone.returncode == 1
    assert gone.stderr.strip() == "error: there is no account 'eleni'"
