"""Compiles netmap's translation catalogs into the wheel.

The repository keeps the ``.po`` catalogs only (netmap/locale/<lang>/LC_MESSAGES); a
built wheel carries each compiled ``netmap.mo`` in their place, so an installed netmap
reads its catalogs without Babel's compiler. An editable install reads the source tree,
where :mod:`netmap.i18n` compiles a catalog on first use: nothing is added for it here.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):
    PLUGIN_NAME = "netmap-catalogs"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "netmap" / "locale"
        self._compiled = tempfile.TemporaryDirectory(prefix="netmap-catalogs-")
        for po in sorted(locale.glob("*/LC_MESSAGES/netmap.po")):
            language = po.parent.parent.name
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=language, domain="netmap")
            if any(message.fuzzy for message in catalog if message.id):
                raise ValueError(f"{po}: fuzzy entries would be left out; review them first")
            compiled = io.BytesIO()
            write_mo(compiled, catalog, use_fuzzy=False)
            mo = Path(self._compiled.name) / language / "netmap.mo"
            mo.parent.mkdir(parents=True)
            mo.write_bytes(compiled.getvalue())
            build_data["force_include"][str(mo)] = f"netmap/locale/{language}/LC_MESSAGES/netmap.mo"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if getattr(self, "_compiled", None) is not None:
            self._compiled.cleanup()
