"""The app's pages: the file of each in ``netmap/ui/pages``, its title, icon and URL path,
and the least role that may open it. ``app.py`` shows those the user's role allows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PAGES_DIR = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class PageInfo:
    """One page of the app: its file in ``netmap/ui/pages``, title, icon and URL path."""

    name: str
    title: str
    icon: str
    role: str = "viewer"  # the least role that may open it

    @property
    def path(self) -> Path:
        return _PAGES_DIR / f"{self.name}.py"


PAGES = (
    PageInfo("network", "Network", ":material/hub:"),
    PageInfo("directory", "Directory", ":material/menu_book:"),
    PageInfo("finder", "Find a contact", ":material/person_search:"),
    PageInfo("gaps", "Gaps and pathways", ":material/troubleshoot:"),
    PageInfo("map", "Map", ":material/map:"),
    PageInfo("data", "Data", ":material/swap_vert:"),
    PageInfo("edit", "Edit", ":material/edit:", role="editor"),
    PageInfo("admin", "Admin", ":material/admin_panel_settings:", role="admin"),
)
