"""In a real browser: the map's land and borders drawn offline, and a contact card a user can
call from. The same server and Chromium as ``test_browser.py`` (its fixtures), on the demo
network. Screenshots go to the server's folder, or to ``NETMAP_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from test_browser import browser_page, choose, open_page, server, settle  # noqa: F401

from netmap import viz
from netmap.model import RecordKind

pytestmark = pytest.mark.browser

MAP = '[data-testid="stDeckGlJsonChart"]'


def shoot(page, server, name: str, element=None) -> Path:  # noqa: F811
    folder = Path(os.environ.get("NETMAP_SCREENSHOTS") or server["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    (element or page).screenshot(path=str(path), **({} if element else {"full_page": True}))
    print(f"screenshot: {path}")
    return path


def share_of(picture: bytes, colour: list[int], tolerance: int = 6) -> float:
    """The share of a PNG's pixels within ``tolerance`` of ``colour`` (RGB)."""
    from PIL import Image

    image = Image.open(io.BytesIO(picture)).convert("RGB")
    pixels = list(image.get_flattened_data())
    red, green, blue = colour[:3]
    near = sum(
        1
        for r, g, b in pixels
        if abs(r - red) <= tolerance and abs(g - green) <= tolerance and abs(b - blue) <= tolerance
    )
    return near / len(pixels)


def test_the_map_draws_land_and_borders_without_the_internet(browser_page, server):  # noqa: F811
    page = browser_page
    open_page(page, server, "map")
    chart = page.wait_for_selector(f"{MAP} canvas", timeout=60_000)
    page.wait_for_timeout(2500)  # deck.gl draws on the next frames
    picture = chart.screenshot()
    shoot(page, server, "map-page")
    shoot(page, server, "map", page.locator(MAP))
    land = share_of(picture, viz.MAP_LAND)
    assert land > 0.25, f"only {land:.0%} of the map is land: the borders were not drawn"
    borders = share_of(picture, viz.MAP_BORDER, tolerance=30)
    assert borders > 0.002, f"only {borders:.2%} of the map is border lines"
    names = share_of(picture, [30, 30, 30], tolerance=40)
    assert names > 0.0005, "no city's name is written on the map"
    assert page.outside == [], f"requests left the machine: {page.outside[:5]}"
    assert page.errors == [] and page.dialogs == []
    text = page.locator("section.main, [data-testid='stMain']").first.inner_text()
    assert "Institutions that name no city" in text and "Belgium (1)" in text


def test_a_card_shows_how_to_call_and_leads_to_the_profile(browser_page, server):  # noqa: F811
    store = server["store"]
    record = store.get(RecordKind.INSTITUTION, "bg-a21")
    store.update(
        record.model_copy(
            update={
                "phone": "+359 2 123 4567",
                "email": "bulgaria@a21.org",
                "website": "www.a21.org",
            }
        )
    )
    page = browser_page
    open_page(page, server, "finder")
    choose(page, "I am at", "ARSIS – Social Organisation")
    choose(page, "Whom do I call in", "Bulgaria")
    page.wait_for_selector("text=reachable through your partners", timeout=30_000)
    card = page.locator(".st-key-finder-card-1")
    assert "A21 (Bulgaria)" in card.inner_text()
    assert card.locator('a[href="tel:+35921234567"]').count() == 1
    assert card.locator('a[href="mailto:bulgaria@a21.org"]').count() == 1
    assert card.locator('a[href="https://www.a21.org"]').count() == 1
    assert "No contact person recorded" in card.inner_text()
    path = card.locator('iframe[title="The introduction path as a graph"]')
    frame = path.element_handle().content_frame()
    frame.wait_for_function("window.netmap && window.netmap.ready === true", timeout=60_000)
    arrows = frame.evaluate("edges.get().map(e => [e.from, e.to, e.arrows])")
    assert arrows == [["gr-thessaloniki-arsis", "bg-a21", "to"]]
    shoot(page, server, "finder-card", card)
    shoot(page, server, "finder-page")
    card.get_by_text("Open the profile of A21 (Bulgaria)").click()
    page.wait_for_selector("h1:has-text('Directory')", timeout=60_000)
    settle(page)
    page.wait_for_selector("h3:has-text('A21 (Bulgaria)')", timeout=30_000)
    shoot(page, server, "directory-profile-from-card")
    assert page.errors == [] and page.dialogs == []
    assert page.outside == [], f"requests left the machine: {page.outside[:5]}"
