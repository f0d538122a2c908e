"""The one exception hierarchy of netmap.

Every error a user can cause is a :class:`NetmapError`; the CLI and the app turn it into
one clear line. Errors about a place in an input file carry that place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class NetmapError(Exception):
    """Base class of every error netmap reports to a user."""


@dataclass(frozen=True)
class Problem:
    """One mistake (or warning) found in input, located as the user sees it.

    ``row`` is the spreadsheet row number: the header is row 1, the first record row 2.
    """

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        place = self.file if self.row is None else f"{self.file}:{self.row}"
        return (
            f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"
        )


class ValidationFailed(NetmapError):
    """Input holds mistakes; nothing was written. ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        first = str(problems[0]) if problems else "no details"
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"{first}{more}")


class NotFound(NetmapError):
    """A record that was asked for does not exist."""


class AlreadyExists(NetmapError):
    """A record with that id is already stored."""


class Conflict(NetmapError):
    """Someone else saved the record first: the edit was made on an older version.

    ``attempted`` holds the refused edit as ``{field: [stored, attempted]}``; the store
    logs it so that the second editor's work is not lost.
    """

    def __init__(self, message: str, attempted: dict[str, Any] | None = None):
        super().__init__(message)
        self.attempted = attempted or {}


class ReferenceProblem(NetmapError):
    """A record refers to one that does not exist, or others still refer to it."""


class StoreUnavailable(NetmapError):
    """The store cannot be opened or reached."""


class AccessDenied(NetmapError):
    """The signed-in user's role does not allow this."""
