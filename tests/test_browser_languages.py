"""In a real browser: the app follows the browser's language, and Bulgarian and Greek pages
fit a laptop's screen. The same server and Chromium as ``test_browser.py`` (its fixtures).

Chromium is started with a locale, which it sends as ``Accept-Language``, as a browser set
to Bulgarian does; nothing is chosen in the app. Screenshots of Network, Find a contact and
Gaps in each language go to the server's folder and to ``$NETMAP_SCREENSHOTS``.
"""

from __future__ import annotations

import pytest
from test_app_languages import english_fragments
from test_browser import CHROMIUM, CHROMIUM_ARGS, keep, server, settle  # noqa: F401

from netmap.i18n import gettext, language
from netmap.ui.navigation import PAGES

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
SHOWN = ("network", "finder", "gaps")
#: The first page is the app's address itself; the others have their own path.
FIRST = PAGES[0].name


def address(server, name: str) -> str:  # noqa: F811
    return f"{server['url']}/{'' if name == FIRST else name}"


#: Text that runs out of its box: wider than the box, which does not scroll (a table's
#: cells scroll; a paragraph, a label, a button or a heading must wrap instead).
OVERFLOWING = """() => {
    const boxes = document.querySelectorAll(
        '[data-testid="stMain"] :is(p, h1, h2, h3, label, button, li, [data-testid="stMetricLabel"])'
    );
    const out = [];
    for (const box of boxes) {
        if (box.closest('[data-testid="stDataFrame"], canvas, code, pre')) continue;
        const style = getComputedStyle(box);
        if (style.overflowX === 'auto' || style.overflowX === 'scroll') continue;
        if (box.scrollWidth > box.clientWidth + 2 && box.clientWidth > 0) {
            out.push(box.innerText.slice(0, 80));
        }
    }
    const page = document.querySelector('[data-testid="stMain"]');
    if (page && page.scrollWidth > page.clientWidth + 2) out.push('(the page scrolls sideways)');
    return out;
}"""


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def page_in(chromium, locale: str):
    """A page of a browser whose language is ``locale`` (its ``Accept-Language``)."""
    context = chromium.new_context(locale=locale, viewport=LAPTOP)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def title_of(name: str, lang: str) -> str:
    with language(lang):
        return gettext(next(p for p in PAGES if p.name == name).title)


@pytest.mark.parametrize(("locale", "lang"), [("bg-BG", "bg"), ("el-GR", "el")])
def test_a_browser_in_bulgarian_or_greek_gets_the_app_in_its_language(
    chromium,
    server,  # noqa: F811
    locale,
    lang,
):
    context, page = page_in(chromium, locale)
    english = english_fragments(lang)
    try:
        for name in SHOWN:
            page.goto(address(server, name))
            title = title_of(name, lang)
            page.wait_for_selector(f"h1:has-text('{title}')", timeout=60_000)
            settle(page)
            page.wait_for_timeout(1500)  # the graph and charts draw after the run
            path = server["folder"] / f"{name}-{lang}.png"
            page.screenshot(path=str(path), full_page=False)
            keep(path)
            assert page.locator("[role='dialog']").count() == 0, f"{name}: a dialog covers it"
            shown = page.locator("[data-testid='stMain']").inner_text()
            left = sorted(f for f in english if f in shown)
            assert left == [], f"{name} in {lang} still says in English: {left}"
            sidebar = page.locator("[data-testid='stSidebar']").inner_text()
            assert title in sidebar  # the navigation too
            assert page.evaluate(OVERFLOWING) == [], f"{name} in {lang}: text runs out of its box"
        assert page.errors == []
    finally:
        context.close()


def test_an_english_browser_gets_english_and_may_choose_romanian(chromium, server):  # noqa: F811
    context, page = page_in(chromium, "en-GB")
    try:
        page.goto(address(server, "network"))
        page.wait_for_selector("h1:has-text('Network')", timeout=60_000)
        settle(page)
        picker = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
            has_text="Language"
        )
        picker.click()
        page.get_by_role("option", name="Română").click()
        page.wait_for_selector(f"h1:has-text('{title_of('network', 'ro')}')", timeout=60_000)
        settle(page)
        # The choice holds for the session: another page is in Romanian too.
        page.locator("[data-testid='stSidebarNav'] a").nth(2).click()
        page.wait_for_selector(f"h1:has-text('{title_of('finder', 'ro')}')", timeout=60_000)
    finally:
        context.close()
