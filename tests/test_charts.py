"""The chart kit (backcoach/charts.py) that the progress and the experiment charts are drawn
with: its scales, and a frame that holds every date it is given."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from backcoach import charts

D0 = dt.date(2026, 10, 5)


@given(st.lists(st.floats(0, 720), min_size=1, max_size=30))
def test_a_nice_ceiling_holds_every_value_and_splits_into_whole_thirds(values):
    top = charts.nice_ceiling(max(values), at_least=15)
    assert top >= max(values)
    assert all(float(tick).is_integer() for tick in charts.thirds(top))


@given(st.lists(st.integers(0, 2000).map(lambda n: D0 + dt.timedelta(days=n)), min_size=1))
def test_a_time_frame_draws_every_date_inside_its_plot_clear_of_the_axis(dates):
    frame = charts.time_frame(dates, (0, 5, 10), height=200)
    left, right = charts.LEFT + charts.INSET, charts.WIDTH - charts.RIGHT - charts.INSET
    assert all(left - 1e-9 <= frame.x(day) <= right + 1e-9 for day in dates)
    assert frame.y(0) > frame.y(10)


def test_a_chart_says_its_dates_as_people_do():
    assert charts.day_text(dt.date(2026, 11, 3)) == "3 Nov"
