"""Which bytes of a track a Range header asks for (RFC 9110, section 14)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.player.audio.ranges import Unsatisfiable, byte_range


@pytest.mark.parametrize(
    ("header", "wanted"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=0-", (0, 999)),
        ("bytes=500-", (500, 999)),
        ("bytes=990-2000", (990, 999)),  # a last byte past the end is the end
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),  # more than there is: all of it
        ("bytes=999-999", (999, 999)),
        (" bytes = 10 - 20 ", (10, 20)),
        # Ignored, so the whole file is sent, as RFC 9110 lets a server do:
        (None, None),
        ("", None),
        ("bytes=20-10", None),  # the last byte before the first
        ("bytes=0-1,5-9", None),  # several ranges
        ("items=0-1", None),  # another unit
        ("bytes=a-b", None),
        ("bytes=-", None),
        ("bytes=1234567890123456-", None),  # longer than the service worker reads exactly
        ("bytes=0-99\x00", None),
    ],
)
def test_a_range_header_asks_for_these_bytes(header, wanted):
    assert byte_range(header, 1000) == wanted


@pytest.mark.parametrize(
    "header", ["bytes=1000-", "bytes=1000-1999", "bytes=5000-6000", "bytes=-0"]
)
def test_a_range_past_the_end_cannot_be_satisfied(header):
    with pytest.raises(Unsatisfiable):
        byte_range(header, 1000)


def test_nothing_of_an_empty_file_can_be_asked_for():
    with pytest.raises(Unsatisfiable):
        byte_range("bytes=-10", 0)
    with pytest.raises(Unsatisfiable):
        byte_range("bytes=0-", 0)


@given(st.integers(0, 10**6), st.text(max_size=40))
def test_any_header_gives_a_range_inside_the_file_the_whole_file_or_416(size, header):
    try:
        wanted = byte_range(header, size)
    except Unsatisfiable:
        return
    if wanted is not None:
        first, last = wanted
        assert 0 <= first <= last < size


@given(st.integers(1, 10**6), st.integers(0, 10**6), st.integers(0, 10**6))
def test_a_range_inside_the_file_is_served_as_asked(size, first, length):
    last = first + length
    if first >= size:
        with pytest.raises(Unsatisfiable):
            byte_range(f"bytes={first}-{last}", size)
    else:
        assert byte_range(f"bytes={first}-{last}", size) == (first, min(last, size - 1))
