"""Where an import's records come from (the rows of each sheet) and its problems as
``FILE:ROW: FIELD: message``: read by the import and by its plan alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from netmap.errors import Problem
from netmap.i18n import gettext
from netmap.model import RecordKind


@dataclass
class SheetRows:
    """Where the records of one kind in a batch come from, in the batch's order.

    ``file`` is the table's label in messages, ``saved_at`` when its file says it was
    saved; ``numbers`` the rows' numbers; ``given`` for each row, the fields its cells
    filled, and ``present`` the fields the table has a column for, as bit masks over
    the record's fields (see :meth:`fields`).
    """

    kind: RecordKind
    file: str
    saved_at: str | None = None
    present: int = 0
    numbers: list[int] = field(default_factory=list)
    given: list[int] = field(default_factory=list)

    def fields(self, mask: int) -> set[str]:
        """The names of the fields a mask holds."""
        return {name for bit, name in enumerate(self.kind.model.model_fields) if mask >> bit & 1}


def pydantic_problems(file: str, row: int, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        column = location[0] if location else None
        message = item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        kind, value, context = item["type"], item.get("input"), item.get("ctx", {})
        if kind in ("missing", "string_too_short") or (value is None and kind != "value_error"):
            message = gettext("required, but empty")
        elif kind in ("less_than_equal", "less_than"):
            message = gettext("%(value)s is above the largest allowed value, %(limit)s") % {
                "value": repr(value),
                "limit": context.get("le", context.get("lt")),
            }
        elif kind in ("greater_than_equal", "greater_than"):
            message = gettext("%(value)s is below the smallest allowed value, %(limit)s") % {
                "value": repr(value),
                "limit": context.get("ge", context.get("gt")),
            }
        elif kind in ("int_parsing", "float_parsing", "int_from_float"):
            message = gettext("%(value)s is not a number") % {"value": repr(value)}
        elif kind == "string_too_long":
            message = gettext("longer than %(count)s characters") % {
                "count": context.get("max_length")
            }
        elif column is None and ": " in message:
            # Checks across fields name the field they blame: "until: … before since …".
            head, rest = message.split(": ", 1)
            if head.isidentifier():
                column, message = head, rest
        if len(location) > 1 and location[1].isdigit():
            message = gettext("item %(number)d: %(message)s") % {
                "number": int(location[1]) + 1,
                "message": message,
            }
        problems.append(Problem(file, row, column or "row", message))
    return problems
