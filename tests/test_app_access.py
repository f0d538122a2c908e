"""Access in the app: roles × pages, team-mode sign-in, the identity provider's mapping,
what a viewer can read, and the admin page's operations, driven by AppTest on real stores.

An identity provider cannot be reached here, and none is faked: the mapping of its claims
to an account is tested as a plain function, and the app's handling of a signed-in
identity through AppTest's own ``st.user`` seed.
"""

from __future__ import annotations

import io
import json
import sqlite3
import time

import pandas as pd
import pytest
from app_fixtures import PAGES, app_test, assert_clean, frames, graph_data, page_test, texts

from netmap.access import Role, User
from netmap.accounts import SignInGuard, add_account, find_account, user_for_email
from netmap.backup import _content
from netmap.errors import NotFound
from netmap.export import csv_bytes
from netmap.io.tables import FORMULA_TRIGGERS
from netmap.model import Contact, RecordKind
from netmap.store import SQLiteStore
from netmap.ui import access
from netmap.ui.navigation import PAGES as APP_PAGES
from netmap.ui.pages import admin as admin_page

ADMIN = User("setup", Role.ADMIN)
PASSWORD = "correct horse battery"
ORDER = ["viewer", "member", "editor", "admin"]
NEEDS = {page.name: page.role for page in APP_PAGES}
#: The demo's contact e-mails, and a contact added with a phone (the demo has none).
DEMO_EMAILS = ("arsis.antitrafficking@gmail.com", "danijela.nshc@gmail.com")
PHONE_CONTACT = Contact(
    id="c-plovdiv-phone",
    institution_id="bg-plovdiv-municipality",
    name="Radka Petrova",
    role="Social worker",
    email="radka.petrova@example.bg",
    phone="+359 32 656 123",
    legal_basis="legitimate_interests",
)
REFUSAL = "This page needs the role"


@pytest.fixture(autouse=True)
def fresh_accounts():
    """Each test reads its store's accounts afresh (the app keeps them a few seconds), and
    starts with no failed sign-in counted (the server keeps those)."""
    access.forget_accounts()
    access.sign_in_guard().clear()
    yield
    access.forget_accounts()
    access.sign_in_guard().clear()


@pytest.fixture
def local(demo_store, monkeypatch):
    """The demo network in local mode (no accounts)."""
    monkeypatch.setenv("NETMAP_STORE", demo_store.url)
    for name in ("NETMAP_ROLE", "NETMAP_MODE"):
        monkeypatch.delenv(name, raising=False)
    demo_store.add(PHONE_CONTACT)
    return demo_store


@pytest.fixture(scope="module")
def team_template(demo_template, tmp_path_factory):
    """The demo network with one password account per role (hashed once per module)."""
    path = tmp_path_factory.mktemp("team") / "team.db"
    with sqlite3.connect(demo_template) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    store = SQLiteStore(path, actor="fixture")
    store.add(PHONE_CONTACT)
    for role in ORDER:
        add_account(store, ADMIN, role, role, PASSWORD)
    return path


@pytest.fixture
def team(team_template, tmp_path, monkeypatch):
    """A private copy of the team store: team mode, because it holds accounts."""
    target = tmp_path / "team.db"
    with sqlite3.connect(team_template) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    store = SQLiteStore(target, actor="tester")
    monkeypatch.setenv("NETMAP_STORE", store.url)
    for name in ("NETMAP_ROLE", "NETMAP_MODE"):
        monkeypatch.delenv(name, raising=False)
    return store


def signed_in(at, name: str):
    """The AppTest with ``name`` signed in (as the sign-in form leaves the session)."""
    at.session_state[access.SIGNED_IN] = name
    return at


def sign_in_through_the_form(at, name: str, password: str):
    at.text_input(key="sign-in-name").set_value(name)
    at.text_input(key="sign-in-password").set_value(password)
    at.button(key="sign-in-submit").click().run()
    return at


def drawn(at) -> bool:
    """Whether the page shows a graph (a drawing in a frame, or the live network graph)."""
    return bool(at.get("iframe") or at.get("bidi_component"))


def is_sign_in_screen(at) -> bool:
    return bool(at.title) and at.title[0].value == "Sign in to netmap"


# --- roles × pages ----------------------------------------------------------------------


def check_gate(at, role: str, page: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    denied = any(REFUSAL in e.value for e in at.error)
    if ORDER.index(role) < ORDER.index(NEEDS[page]):
        assert denied, f"a {role} opened {page}"
        assert not frames(at) and not drawn(at)
    else:
        assert not denied, f"a {role} was refused {page}"
        assert_clean(at)
        assert at.title and at.title[0].value == APP_PAGES[list(PAGES).index(page)].title


@pytest.mark.parametrize("role", ORDER)
@pytest.mark.parametrize("page", list(PAGES))
def test_a_role_set_by_netmap_role_opens_exactly_its_pages(local, monkeypatch, role, page):
    monkeypatch.setenv("NETMAP_ROLE", role)
    check_gate(page_test(page).run(), role, page)


@pytest.mark.parametrize("role", ORDER)
@pytest.mark.parametrize("page", list(PAGES))
def test_a_team_account_opens_exactly_the_pages_of_its_role(team, role, page):
    check_gate(signed_in(page_test(page), role).run(), role, page)


def test_netmap_role_only_lowers_a_team_accounts_role(team, monkeypatch):
    monkeypatch.setenv("NETMAP_ROLE", "viewer")
    at = signed_in(page_test("admin"), "admin").run()
    assert any(REFUSAL in e.value for e in at.error)
    monkeypatch.setenv("NETMAP_ROLE", "admin")
    at = signed_in(page_test("edit"), "viewer").run()
    assert any(REFUSAL in e.value for e in at.error)


def test_the_sidebar_says_who_is_signed_in_and_in_which_mode(team):
    at = signed_in(app_test(), "viewer").run()
    assert_clean(at)
    assert at.title[0].value == "Network"
    titles = " ".join(texts(at.sidebar).split("\n"))
    assert "Signed in as **viewer** (viewer), team mode" in titles


# --- a viewer reads no contact's e-mail or phone --------------------------------------------


def readable(at) -> list[str]:
    """Everything a user can read on the page: text, tables, options, graph HTML."""
    shown = [texts(at)]
    shown += [frame.to_csv() for frame in frames(at)]
    shown += [element.proto.srcdoc for element in at.get("iframe")]
    # The live graph's data, its non-ASCII letters as such (the JSON sent escapes them).
    shown += [json.dumps(data, ensure_ascii=False) for data in graph_data(at)]
    for kind in ("selectbox", "multiselect", "radio", "button_group"):
        for widget in at.get(kind):
            shown += [str(option) for option in getattr(widget, "options", [])]
    # What someone typed into a text box shows in it (a password as dots: left out).
    shown += [str(w.value) for w in at.text_input if w.proto.type != w.proto.PASSWORD]
    shown += [element.proto.json for element in at.get("deck_gl_json_chart")]
    return shown


def everything_a_viewer_reads(make) -> str:
    shown = []
    for page in PAGES:
        at = make(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        shown += readable(at)
    at = make("directory").run()
    at.selectbox(key="directory-profile").set_value("bg-plovdiv-municipality").run()
    shown += readable(at)
    at.text_input(key="directory-search").set_value("Petrova").run()
    shown += readable(at)
    at = make("finder").run()
    at.selectbox(key="finder-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="finder-country").set_value("BG").run()
    shown += readable(at)
    at = make("network").run()
    at.selectbox(key="network-focus").set_value("bg-plovdiv-municipality").run()
    shown += readable(at)
    return "\n".join(shown)


def contact_secrets(store) -> set[str]:
    contacts = store.snapshot().contacts
    found = {v for v in [*contacts["email"], *contacts["phone"]] if v}
    assert set(DEMO_EMAILS) | {PHONE_CONTACT.email, PHONE_CONTACT.phone} <= found
    return found


def test_a_viewer_by_netmap_role_reads_no_contacts_email_or_phone_on_any_page(local, monkeypatch):
    monkeypatch.setenv("NETMAP_ROLE", "viewer")
    everything = everything_a_viewer_reads(page_test)
    for secret in contact_secrets(local) | {PHONE_CONTACT.name}:
        assert secret not in everything, f"a viewer reads {secret!r}"
    assert "Plovdiv Municipality" in everything  # the pages did show the network


def test_a_viewer_account_reads_no_contacts_email_or_phone_on_any_page(team):
    everything = everything_a_viewer_reads(lambda page: signed_in(page_test(page), "viewer"))
    for secret in contact_secrets(team) | {PHONE_CONTACT.name}:
        assert secret not in everything, f"a viewer reads {secret!r}"
    assert "Plovdiv Municipality" in everything


def test_a_member_does_read_the_contacts_details(team):
    at = signed_in(page_test("directory"), "member").run()
    at.selectbox(key="directory-profile").set_value("bg-plovdiv-municipality").run()
    assert PHONE_CONTACT.phone in "\n".join(readable(at))


# --- team mode: signing in ------------------------------------------------------------------


@pytest.mark.parametrize("page", list(PAGES))
def test_in_team_mode_nobody_signed_in_sees_only_the_sign_in_form(team, page):
    at = page_test(page).run()
    assert_clean(at)
    assert is_sign_in_screen(at)
    assert at.text_input(key="sign-in-name") and at.text_input(key="sign-in-password")
    assert not frames(at) and not drawn(at) and not at.get("deck_gl_json_chart")
    assert "Plovdiv" not in "\n".join(readable(at))


def test_the_whole_app_shows_only_the_sign_in_screen_until_someone_signs_in(team):
    at = app_test().run()
    assert_clean(at)
    assert is_sign_in_screen(at)
    assert not frames(at) and not drawn(at)
    sign_in_through_the_form(at, "editor", PASSWORD)
    assert_clean(at)
    assert at.title[0].value == "Network"
    assert drawn(at)


def test_a_wrong_password_gives_a_message_and_nothing_else(team):
    at = sign_in_through_the_form(page_test("directory").run(), "admin", "not the password")
    assert not at.exception
    assert [e.value for e in at.error] == ["That name and password do not match an account."]
    assert is_sign_in_screen(at)
    assert not frames(at) and not drawn(at)
    assert "not the password" not in "\n".join(readable(at))
    assert access.SIGNED_IN not in at.session_state
    # An unknown name gets the very same answer.
    sign_in_through_the_form(at, "nobody", PASSWORD)
    assert [e.value for e in at.error] == ["That name and password do not match an account."]


@pytest.mark.parametrize("role", ORDER)
def test_the_right_password_opens_the_pages_with_that_accounts_role(team, role):
    at = sign_in_through_the_form(page_test("data").run(), role, PASSWORD)
    assert_clean(at)
    assert at.title[0].value == "Data"
    redact = at.checkbox(key="data-redact")
    assert redact.disabled == (role == "viewer")
    assert bool(_has_log(at)) == (role == "admin")
    at = sign_in_through_the_form(page_test("edit").run(), role, PASSWORD)
    assert any(REFUSAL in e.value for e in at.error) == (role in ("viewer", "member"))


def _has_log(at) -> bool:
    return any("Who" in frame.columns for frame in frames(at))


def test_five_failed_attempts_stop_further_attempts_for_a_while(team):
    at = page_test("network").run()
    for _ in range(5):
        sign_in_through_the_form(at, "admin", "guessing again")
    assert any("Too many failed attempts" in e.value for e in at.error)
    sign_in_through_the_form(at, "admin", PASSWORD)
    assert is_sign_in_screen(at)
    assert any("Too many failed attempts" in e.value for e in at.error)
    assert access.SIGNED_IN not in at.session_state


def test_the_guard_opens_again_after_its_pause():
    guard = SignInGuard(account_limit=5, pause=300)
    for _ in range(4):
        guard.failed("admin", "10.0.0.7", now=100)
    assert guard.wait("admin", "10.0.0.7", 100) == 0
    guard.failed("admin", "10.0.0.7", now=100)
    assert guard.wait("admin", "10.0.0.7", 100) == 300
    assert guard.wait("admin", "10.0.0.7", 399) == 1 and guard.wait("admin", "10.0.0.7", 400) == 0
    guard.succeeded("admin")
    assert guard.wait("admin", "10.0.0.8", 100) == 0


def test_signing_out_returns_to_the_sign_in_screen_and_forgets_the_session(team):
    at = signed_in(app_test(), "admin").run()
    assert_clean(at)
    at.session_state["directory-search"] = "something private"
    at.sidebar.button(key="sign-out").click().run()
    assert_clean(at)
    assert is_sign_in_screen(at)
    assert "directory-search" not in at.session_state


def test_a_removed_account_is_signed_out_on_its_next_step(team):
    at = signed_in(page_test("network"), "editor").run()
    assert_clean(at)
    team.remove_account("editor")
    access.forget_accounts()
    at.run()
    assert is_sign_in_screen(at)


def test_team_mode_without_accounts_says_how_to_add_the_first(on_empty_team):
    at = page_test("network").run()
    assert_clean(at)
    assert is_sign_in_screen(at)
    assert "netmap users add NAME --role admin" in texts(at)
    assert not at.text_input


@pytest.fixture
def on_empty_team(tmp_path, monkeypatch):
    store = SQLiteStore(tmp_path / "empty.db", actor="tester")
    monkeypatch.setenv("NETMAP_STORE", store.url)
    monkeypatch.setenv("NETMAP_MODE", "team")
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    return store


def test_local_mode_is_the_default_and_says_so(local):
    at = app_test().run()
    assert_clean(at)
    assert "local mode" in texts(at.sidebar)
    assert access.mode() == "local"


# --- sign-in with an organisation (st.login) ---------------------------------------------

NOW = 1_800_000_000.0
CLAIMS = {
    "is_logged_in": True,
    "email": "Ana@Example.org",
    "email_verified": True,
    "exp": NOW + 600,
}


def lookup_in(store):
    return lambda email: user_for_email(store, email)


@pytest.fixture
def ana(demo_store):
    add_account(demo_store, ADMIN, "ana", "member", email="ana@example.org")
    return demo_store


def test_a_verified_email_on_the_allow_list_signs_in_with_its_role(ana):
    check = access.check_identity(CLAIMS, lookup_in(ana), NOW)
    assert check == access.IdentityCheck(user=User("ana", Role.MEMBER))


def test_an_email_not_on_the_allow_list_is_refused(ana):
    check = access.check_identity({**CLAIMS, "email": "eve@example.org"}, lookup_in(ana), NOW)
    assert check.user is None and not check.expired
    assert "not on this netmap's list" in check.refusal


@pytest.mark.parametrize("verified", [False, "false"])
def test_an_email_the_provider_has_not_verified_is_refused(ana, verified):
    check = access.check_identity({**CLAIMS, "email_verified": verified}, lookup_in(ana), NOW)
    assert check.user is None and "not verified" in check.refusal


def test_a_provider_that_does_not_say_whether_it_verified_is_trusted(ana):
    claims = {k: v for k, v in CLAIMS.items() if k != "email_verified"}
    assert access.check_identity(claims, lookup_in(ana), NOW).user == User("ana", Role.MEMBER)


@pytest.mark.parametrize("exp", [NOW - 1, NOW, None, "soon", True])
def test_an_expired_or_unreadable_token_is_signed_out(ana, exp):
    claims = {**CLAIMS, "exp": exp} if exp is not None else {**CLAIMS}
    if exp is None:
        del claims["exp"]
    assert access.check_identity(claims, lookup_in(ana), NOW) == access.IdentityCheck(expired=True)


def test_no_identity_means_nobody_and_no_email_is_refused(ana):
    assert access.check_identity({"email": "ana@example.org"}, lookup_in(ana), NOW) == (
        access.IdentityCheck()
    )
    check = access.check_identity({**CLAIMS, "email": None}, lookup_in(ana), NOW)
    assert check.user is None and "did not give netmap your e-mail" in check.refusal


def test_the_providers_to_offer_are_the_named_ones_or_the_default():
    assert access.identity_providers({"client_id": "x", "client_kwargs": {"a": 1}}) == [None]
    named = {"redirect_uri": "r", "google": {"client_id": "g"}, "microsoft": {"client_id": "m"}}
    assert access.identity_providers(named) == ["google", "microsoft"]
    assert access.identity_providers({"redirect_uri": "r"}) == []


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-cookie-secret-that-is-long-enough-for-tests",
    "client_id": "netmap",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration",
}


def with_identity(at, **claims):
    at.secrets["auth"] = AUTH
    at.user = {**CLAIMS, "exp": time.time() + 600, **claims}
    return at


def test_an_identity_on_the_allow_list_opens_the_pages_with_its_role(team):
    add_account(team, ADMIN, "ana", "member", email="ana@example.org")
    at = with_identity(page_test("directory")).run()
    assert_clean(at)
    assert at.title[0].value == "Directory"
    at = with_identity(page_test("edit")).run()
    assert any(REFUSAL in e.value for e in at.error)


def test_an_identity_not_on_the_allow_list_is_refused_with_a_sign_out_button(team):
    at = with_identity(page_test("directory"), email="eve@example.org").run()
    assert not at.exception
    assert "eve@example.org is not on this netmap's list" in at.error[0].value
    assert at.button(key="sign-out-refused")
    assert not frames(at) and not drawn(at)
    at.button(key="sign-out-refused").click().run()
    assert at.user.get("is_logged_in") is False


def test_an_expired_identity_is_logged_out(team):
    add_account(team, ADMIN, "ana", "member", email="ana@example.org")
    at = with_identity(page_test("directory"), exp=time.time() - 5).run()
    assert not at.exception
    assert at.user.get("is_logged_in") is False
    assert not frames(at)


def test_the_sign_in_screen_offers_the_organisations_sign_in_when_configured(team):
    at = page_test("network")
    at.secrets["auth"] = AUTH
    at.run()
    assert is_sign_in_screen(at)
    shown = texts(at)
    if access.importlib.util.find_spec("authlib") is None:
        assert "Authlib" in shown
    else:
        assert at.button(key="sign-in-oidc-default").label == "Sign in with your organisation"
    assert at.text_input(key="sign-in-name")  # the accounts here have passwords


# --- the admin page -------------------------------------------------------------------------


@pytest.fixture
def as_admin(team):
    return lambda: signed_in(page_test("admin"), "admin").run()


def test_the_admin_page_erases_a_person_after_the_id_is_typed(team, as_admin):
    at = as_admin()
    assert_clean(at)
    at.selectbox(key="admin-person").set_value(PHONE_CONTACT.id).run()
    assert_clean(at)
    assert at.button(key="admin-erase").disabled
    at.text_input(key="admin-erase-typed").set_value("c-plovdiv").run()
    assert at.button(key="admin-erase").disabled
    at.text_input(key="admin-erase-typed").set_value(PHONE_CONTACT.id).run()
    at.button(key="admin-erase").click().run()
    assert_clean(at)
    assert any("Erased" in s.value for s in at.success)
    with pytest.raises(NotFound):
        team.get(RecordKind.CONTACT, PHONE_CONTACT.id)
    assert PHONE_CONTACT.phone not in "\n".join(str(c.fields) for c in team.changes(limit=None))


def test_the_admin_page_offers_everything_about_a_person_as_json(team, as_admin):
    at = as_admin()
    at.selectbox(key="admin-person").set_value(PHONE_CONTACT.id).run()
    assert_clean(at)
    assert at.get("download_button")
    everything = json.loads(
        admin_page.person_json(team, User("admin", Role.ADMIN), PHONE_CONTACT.id)
    )
    assert everything["contact"]["phone"] == PHONE_CONTACT.phone
    assert everything["institution"]["id"] == PHONE_CONTACT.institution_id


def test_the_admin_page_backup_round_trips_and_restores(team, as_admin, tmp_path, monkeypatch):
    monkeypatch.setenv("NETMAP_BACKUP_DIR", str(tmp_path / "backups"))
    at = as_admin()
    at.button(key="admin-backup-make").click().run()
    assert_clean(at)
    assert any("reads back the same" in s.value for s in at.success)
    # Written on the server and named, never offered to the browser.
    assert not any("backup" in (b.key or "") for b in at.get("download_button"))
    (made,) = (tmp_path / "backups").iterdir()
    assert made.name in at.success[0].value and made.suffix == ".db"
    assert made.stat().st_mode & 0o077 == 0
    data = made.read_bytes()
    copy = tmp_path / "copy.db"
    copy.write_bytes(data)
    before = _content(team.snapshot())
    assert _content(SQLiteStore(copy).snapshot()) == before
    # A change, then the backup restored through the page: the change is gone.
    team.delete(RecordKind.CONTACT, PHONE_CONTACT.id)
    at = as_admin()
    at.file_uploader(key="admin-restore-file").set_value(
        ("my backup (1).db", data, "application/octet-stream")
    ).run()
    assert at.button(key="admin-restore").disabled
    at.checkbox(key="admin-restore-sure").check().run()
    at.button(key="admin-restore").click().run()
    assert_clean(at)
    assert any("Restored" in s.value for s in at.success)
    assert _content(team.snapshot()) == before
    assert team.changes(limit=1)[0].record_id == "my_backup_1_.db"


def test_the_admin_page_manages_accounts(team, as_admin):
    at = as_admin()
    at.text_input(key="admin-add-name").set_value("nikos")
    at.selectbox(key="admin-add-role").set_value("editor")
    at.text_input(key="admin-add-password").set_value("short")
    at.button(key="admin-add-submit").click().run()
    assert any("at least 12" in e.value for e in at.error)
    at.text_input(key="admin-add-name").set_value("nikos")
    at.selectbox(key="admin-add-role").set_value("editor")
    at.text_input(key="admin-add-password").set_value(PASSWORD)
    at.button(key="admin-add-submit").click().run()
    assert_clean(at)
    assert find_account(team, "nikos").role == "editor"
    assert PASSWORD not in "\n".join(readable(at))
    at.selectbox(key="admin-account").set_value("nikos").run()
    at.selectbox(key="admin-role").set_value("member").run()
    at.button(key="admin-set-role").click().run()
    assert find_account(team, "nikos").role == "member"
    at.selectbox(key="admin-account").set_value("nikos").run()
    at.checkbox(key="admin-remove-sure").check().run()
    at.button(key="admin-remove").click().run()
    assert_clean(at)
    with pytest.raises(NotFound):
        find_account(team, "nikos")


def test_the_last_admin_cannot_be_demoted_or_removed(team, as_admin):
    at = as_admin()
    at.selectbox(key="admin-account").set_value("admin").run()
    at.selectbox(key="admin-role").set_value("viewer").run()
    at.button(key="admin-set-role").click().run()
    assert any("Keep at least one admin" in e.value for e in at.error)
    assert find_account(team, "admin").role == "admin"


def test_the_first_account_added_in_local_mode_turns_on_team_mode(local):
    at = page_test("admin").run()
    assert "Adding the first account turns on" in texts(at)
    assert at.selectbox(key="admin-add-role").value == "admin"
    at.text_input(key="admin-add-name").set_value("me")
    at.text_input(key="admin-add-password").set_value(PASSWORD)
    at.button(key="admin-add-submit").click().run()
    assert is_sign_in_screen(at)
    sign_in_through_the_form(at, "me", PASSWORD)
    assert_clean(at)
    assert at.title[0].value == "Admin"


def test_the_change_log_shows_each_fields_before_and_after_filtered_by_record(team, as_admin):
    record = team.get(RecordKind.INSTITUTION, "bg-plovdiv-municipality")
    team.update(record.model_copy(update={"acronym": "=HYPERLINK(1)"}))
    at = as_admin()
    at.text_input(key="admin-log-record").set_value("bg-plovdiv-municipality").run()
    assert_clean(at)
    log = next(frame for frame in frames(at) if "Before" in frame.columns)
    assert set(log["Record"]) == {"bg-plovdiv-municipality"}
    row = log[log["Field"] == "Acronym"].iloc[0]
    assert row["After"] == "=HYPERLINK(1)" and row["What"] == "changed"
    assert at.get("download_button")


def test_the_change_log_download_neutralises_formulas(team):
    record = team.get(RecordKind.INSTITUTION, "bg-plovdiv-municipality")
    team.update(record.model_copy(update={"acronym": "=HYPERLINK(1)", "notes": "@SUM(A1)"}))
    table = admin_page.change_rows(team.changes(record_id="bg-plovdiv-municipality"))
    written = pd.read_csv(io.BytesIO(csv_bytes(table)), dtype=str, keep_default_na=False)
    cells = written.to_numpy().ravel()
    assert "'=HYPERLINK(1)" in cells and "'@SUM(A1)" in cells
    assert not any(cell[:1] in FORMULA_TRIGGERS for cell in cells)


def test_the_retention_report_lists_stale_and_uninformed_contacts(team, as_admin):
    at = as_admin()
    assert_clean(at)
    shown = texts(at)
    assert "Contacts not verified for over 12 months" in shown
    assert "not yet told that they are listed" in shown
    ids = set().union(*(set(f["Id"]) for f in frames(at) if "Id" in f.columns))
    assert PHONE_CONTACT.id in ids  # never verified, never told


# --- the legal basis where a contact is edited ----------------------------------------------


def test_editing_a_contact_shows_its_legal_basis_and_warns_when_it_is_missing(local):
    at = page_test("edit").run()
    at.button_group(key="edit-kind").set_value(RecordKind.CONTACT).run()
    at.selectbox(key="edit-record-contacts").set_value("c-arsis-antitrafficking").run()
    assert_clean(at)
    shown = texts(at)
    assert "The **legal basis** is the ground in the GDPR" in shown
    form = "edit-form-contacts-c-arsis-antitrafficking-0"
    assert at.selectbox(key=f"{form}-legal_basis").value == "legitimate_interests"
    for field in ("collected_on", "verified_by", "informed_on"):
        assert at.text_input(key=f"{form}-{field}") is not None
    assert not at.warning
    contact = local.get(RecordKind.CONTACT, PHONE_CONTACT.id)
    local.update(contact.model_copy(update={"legal_basis": None}))
    at.selectbox(key="edit-record-contacts").set_value(PHONE_CONTACT.id).run()
    assert any("no legal basis recorded" in w.value for w in at.warning)
