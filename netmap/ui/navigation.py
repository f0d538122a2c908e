"""The app's pages: the file of each in ``netmap/ui/pages``, its title, icon and URL path,
and the least role that may open it. ``app.py`` shows those the user's role allows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netmap.i18n import N_

_PAGES_DIR = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class PageInfo:
    """One page of the app: its file in ``netmap/ui/pages``, title, icon and URL path."""

    name: str
    title: str  # in English, marked for translation: shown as ``gettext(title)``
    icon: str
    role: str = "viewer"  # the least role that may open it

    @property
    def path(self) -> Path:
        return _PAGES_DIR / f"{self.name}.py"


PAGES = (
    PageInfo("network", N_("Network"), ":material/hub:"),
    PageInfo("directory", N_("Directory"), ":material/menu_book:"),
    PageInfo("finder", N_("Find a contact"), ":material/person_search:"),
    PageInfo("gaps", N_("Gaps and pathways"), ":material/troubleshoot:"),
    PageInfo("map", N_("Map"), ":material/map:"),
    PageInfo("data", N_("Data"), ":material/swap_vert:"),
    PageInfo("edit", N_("Edit"), ":material/edit:", role="editor"),
    PageInfo("admin", N_("Admin"), ":material/admin_panel_settings:", role="admin"),
)
