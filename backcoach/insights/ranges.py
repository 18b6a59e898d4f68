"""The dates a report covers, read from a link or a form. Pure Python, no Django.

A range is two of the person's local dates, both included. Whatever arrives in a URL is
checked here and refused with a sentence a person can act on, so that a bad link gets a
clear answer rather than an error page, and so that no query ever runs over a range the
report could not show (reversed, still to come, or so long that one page of PDF could
not hold it).
"""

import datetime as dt
import re
from dataclasses import dataclass

from backcoach.charts import MONTHS

DEFAULT_WEEKS = 12
MAX_YEARS = 5
# Five years with their leap day or two: any five calendar years fit.
MAX_DAYS = MAX_YEARS * 365 + 2
# Far enough back for any diary; earlier dates could not be turned into the person's
# local midnight in every time zone (year 1 minus a few hours is no datetime).
EARLIEST = dt.date(1900, 1, 1)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date_text(day: dt.date) -> str:
    """A date in full, as on a letter: 3 Nov 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class DateRange:
    """From `first` to `last`, both days included."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def text(self) -> str:
        return f"{date_text(self.first)} to {date_text(self.last)}"

    def query(self) -> str:
        """The range as the report's URLs carry it."""
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"


def last_weeks(today: dt.date, weeks: int = DEFAULT_WEEKS) -> DateRange:
    """The `weeks` weeks that end today."""
    return DateRange(first=today - dt.timedelta(weeks=weeks) + dt.timedelta(days=1), last=today)


class RangeError(ValueError):
    """A range that cannot be shown; `field` names the input at fault ("from", "to"), or
    is None when it is the two together."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


FIELD_WORDS = {"from": "first day", "to": "last day"}


def parse_day(text: str | None, field: str) -> dt.date | None:
    """A YYYY-MM-DD date, None when the parameter was not sent at all."""
    if text is None:
        return None
    words = FIELD_WORDS[field]
    text = text.strip()
    if not text:
        raise RangeError(f"Choose the {words}.", field)
    shown = text if len(text) <= 20 else text[:20] + "…"
    # fromisoformat alone would also take 20261129 and 2026-W48-7.
    if not ISO_DATE.fullmatch(text):
        raise RangeError(
            f"The {words}, “{shown}”, is not a date: write it as year-month-day, "
            f"such as 2026-11-29.",
            field,
        )
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise RangeError(
            f"The {words}, “{shown}”, is not a day of the calendar: check the month and the day.",
            field,
        ) from None
    if day < EARLIEST:
        raise RangeError(
            f"The {words}, {date_text(day)}, is too long ago: choose a day from "
            f"{date_text(EARLIEST)} on.",
            field,
        )
    return day


def parse_range(first_text: str | None, last_text: str | None, *, today: dt.date) -> DateRange:
    """The range from the `from` and `to` parameters (None: not sent). Neither sent: the
    last DEFAULT_WEEKS weeks; only `from`: up to today; only `to`: the DEFAULT_WEEKS weeks
    that end on it. Raises RangeError, with the reason in words, for anything else that
    cannot be shown."""
    first = parse_day(first_text, "from")
    last = parse_day(last_text, "to")
    if last is None:
        last = today
    if first is None:
        first = max(last_weeks(last).first, EARLIEST)
    if first > today:
        raise RangeError(
            f"The first day, {date_text(first)}, is still to come: a report covers days up "
            f"to today, {date_text(today)}.",
            "from",
        )
    if last > today:
        raise RangeError(
            f"The last day, {date_text(last)}, is still to come: a report covers days up "
            f"to today, {date_text(today)}.",
            "to",
        )
    if first > last:
        raise RangeError(
            f"The first day, {date_text(first)}, comes after the last day, "
            f"{date_text(last)}: swap them round.",
        )
    dates = DateRange(first=first, last=last)
    if dates.days > MAX_DAYS:
        raise RangeError(
            f"That is {dates.days:,} days: a report covers at most {MAX_YEARS} years "
            f"({MAX_DAYS:,} days). Choose a later first day or an earlier last day.",
        )
    return dates
