"""Partial dates: what span a date like ``2017`` or ``2021-02`` covers, whether a record
was active on a day, and how long ago something was verified.

Records keep dates as ISO text of three precisions: ``YYYY``, ``YYYY-MM`` and
``YYYY-MM-DD``. A partial date covers its whole year or month.
"""

from __future__ import annotations

import calendar
import itertools
import operator
import re
from datetime import date, datetime
from typing import overload

import numpy as np
import pandas as pd

from netmap.errors import NetmapError


@overload
def date_span(value: str | date) -> tuple[date, date]: ...
@overload
def date_span(value: None) -> None: ...
@overload
def date_span(value: str | date | None) -> tuple[date, date] | None: ...


def date_span(value: str | date | None) -> tuple[date, date] | None:
    """Return the first and last day a partial ISO date covers (None for None).

    ``"2021"`` covers 2021-01-01 to 2021-12-31, ``"2021-02"`` the days of February 2021,
    ``"2021-02-03"`` that day. Raises :class:`NetmapError` for text that is not such a date.
    """
    if value is None:
        return None
    if isinstance(value, date):
        return value, value
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return date(year, 1, 1), date(year, 12, 31)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = int(text[:4]), int(text[5:])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date.fromisoformat(text)
        return day, day
    except ValueError:
        raise NetmapError(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None


def active_on(since: str | None, until: str | None, on: str | date) -> bool:
    """True when a span from ``since`` to ``until`` (partial dates, None = open) covers ``on``.

    A partial ``on`` (``"2013"``) asks whether the span overlaps that period.
    """
    first, last = date_span(on)
    start = date_span(since)
    end = date_span(until)
    return (start is None or start[0] <= last) and (end is None or end[1] >= first)


def active_mask(frame: pd.DataFrame, start: str, end: str, on: str | date) -> pd.Series:
    """Which rows of ``frame`` are active on ``on``, by their ``start`` and ``end`` columns.

    The same answers as :func:`active_on` row by row, and the same error for the first
    malformed date in row order, but each distinct date is read once: a million ties hold a
    few thousand dates.
    """
    start_column, end_column = frame[start], frame[end]
    if len(frame) == 0:
        return pd.Series([], index=frame.index, dtype=bool)
    first, last = date_span(on)
    starts = _day_spans(start_column)
    ends = _day_spans(end_column)
    if starts is None or ends is None or isinstance(first, datetime):
        # Cells other than text or None, or a datetime (which does not compare with a
        # date): left to active_on, row by row.
        return pd.Series(
            [active_on(a, b, on) for a, b in zip(start_column, end_column, strict=True)],
            index=frame.index,
            dtype=bool,
        )
    (start_first, _, start_bad), (_, end_last, end_bad) = starts, ends
    malformed = np.flatnonzero(start_bad | end_bad)
    if len(malformed):
        row = malformed[0]
        active_on(start_column.iloc[row], end_column.iloc[row], on)  # raises, naming the cell
    active = (start_first <= last.toordinal()) & (end_last >= first.toordinal())
    return pd.Series(active, index=frame.index, dtype=bool)


# An empty date cell leaves its end of a span open.
_OPEN_SPAN = (np.iinfo(np.int64).min, np.iinfo(np.int64).max)


def _day_spans(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Return, per row of ``column``, the first and last day of its date (proleptic
    ordinals, see :meth:`datetime.date.toordinal`) and whether the date is malformed.

    Each distinct date is parsed once with :func:`date_span`; an empty cell (None) spans
    all days. Returns None when a cell holds anything but text or None.
    """
    values = column.to_numpy(dtype=object)
    codes, texts = pd.factorize(values)  # missing cells get code -1
    if not all(type(text) is str for text in texts):
        return None
    missing = values[codes == -1]
    if not all(map(operator.is_, missing, itertools.repeat(None))):
        return None  # NaN or NA, which date_span refuses rather than leaving open
    firsts = np.zeros(len(texts) + 1, dtype=np.int64)  # the last slot answers code -1
    lasts = np.zeros(len(texts) + 1, dtype=np.int64)
    malformed = np.zeros(len(texts) + 1, dtype=bool)
    for i, text in enumerate(texts):
        try:
            span = date_span(text)
        except NetmapError:
            malformed[i] = True
            continue
        firsts[i], lasts[i] = span[0].toordinal(), span[1].toordinal()
    firsts[-1], lasts[-1] = _OPEN_SPAN
    return firsts[codes], lasts[codes], malformed[codes]


def months_since(partial: str | None, today: date, *, from_first_day: bool = False) -> int | None:
    """Return whole months from a partial date to ``today`` (None for None).

    By default a partial date counts from its last day (``"2017"`` is taken as
    2017-12-31), so an institution is never called staler than it may be: the gap analysis
    and the contact finder judge with it. ``from_first_day`` counts from its first day
    (2017-01-01) instead, so a record falls due for re-verification as early as it may
    be: the retention report asks that way.
    """
    span = date_span(partial)
    if span is None:
        return None
    day = span[0] if from_first_day else span[1]
    months = (today.year - day.year) * 12 + (today.month - day.month)
    if today.day < day.day:
        months -= 1
    return max(months, 0)
