"""Addresses in names and notes stay text: written as the attack, an institution whose name
and notes carry ``https://`` and ``www.`` addresses, opened in Debian's Chromium, where a
Markdown renderer would make them live links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from app_fixtures import start_served, stop_served
from builders import institution, tie

from netmap.io import import_into
from netmap.resources import data_file
from netmap.store import SQLiteStore
from netmap.ui.text import md

CHROMIUM = Path("/usr/bin/chromium")
LURE = "Visit https://evil.example/login or www.evil.example now"


@pytest.fixture
def served(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    store = SQLiteStore(tmp_path / "netmap.db", actor="browser-test")
    import_into(store, data_file("demo"))
    store.add(
        institution(
            "gr-athens-lure",
            name=LURE,
            name_local=LURE,
            country="GR",
            city="Athens",
            sector="civil_society",
            notes=f"Call us: {LURE}",
        )
    )
    store.add(tie("gr-athens-lure", "gr-athens-ekka", kind="referral", notes=LURE))
    environment = {k: v for k, v in os.environ.items() if k not in ("NETMAP_ROLE", "NETMAP_MODE")}
    environment["NETMAP_STORE"] = store.url
    process, url, _ = start_served(tmp_path / "serve.log", environment)
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    try:
        yield browser.new_page(viewport={"width": 1400, "height": 1100}), url
    finally:
        browser.close()
        playwright.stop()
        stop_served(process)


def links_to_the_lure(page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('a')].map(a => a.href).filter(h => h.includes('evil'))"
    )


@pytest.mark.browser
def test_addresses_in_a_profile_are_shown_as_text_not_links(served):
    page, url = served
    page.goto(f"{url}/directory")
    page.wait_for_selector("h1:has-text('Directory')", timeout=60_000)
    search = page.get_by_placeholder("A name, acronym, city or initiative", exact=False)
    search.fill("Visit")
    search.press("Enter")
    page.wait_for_selector("h3:has-text('Visit')", timeout=60_000)
    page.wait_for_timeout(1500)
    heading = page.locator("h3", has_text="Visit").first.inner_text()
    assert heading.replace("\u2060", "") == LURE  # shown as written (the joiners are invisible)
    assert links_to_the_lure(page) == []


@pytest.mark.browser
def test_addresses_on_the_network_page_are_text_too(served):
    page, url = served
    page.goto(f"{url}/?focus=gr-athens-lure")
    page.wait_for_selector("h1:has-text('Network')", timeout=60_000)
    page.wait_for_timeout(3000)
    assert links_to_the_lure(page) == []


def test_the_markdown_escape_breaks_every_web_address_autolink():
    written = f"{LURE}; HTTP://EVIL.EXAMPLE; ftp://evil.example"
    plain = md(written).replace("\\", "")
    assert "://" not in plain and "www." not in plain.lower()
    assert plain.replace("\u2060", "") == written
