"""Reading a push service's Retry-After header (RFC 9110, 10.2.3)."""

import datetime as dt

import pytest

from backcoach.reminders.push.transport import LONGEST_WAIT, retry_after

NOW = dt.datetime(2026, 11, 30, 21, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("header", "wait"),
    [
        ("120", dt.timedelta(minutes=2)),
        (" 0 ", dt.timedelta(0)),
        ("Mon, 30 Nov 2026 21:05:00 GMT", dt.timedelta(minutes=5)),
        ("Mon, 30 Nov 2026 20:00:00 GMT", dt.timedelta(0)),  # a moment gone: now
        ("99999999999999999999", LONGEST_WAIT),
        ("Tue, 30 Nov 2027 21:00:00 GMT", LONGEST_WAIT),
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_it_reads_seconds_or_a_date_and_nothing_else(header, wait):
    assert retry_after(header, now=NOW) == wait
