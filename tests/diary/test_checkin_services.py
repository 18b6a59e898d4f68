"""Recording check-ins: one per night, nothing silently overwritten, replays are no-ops."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from backcoach import nights
from backcoach.diary.models import Checkin, CheckinRevision
from backcoach.diary.services import (
    CheckinConflict,
    CheckinRejected,
    checkin_edit,
    checkin_record,
)
from backcoach.safety import selectors as safety
from backcoach.safety.services import screen_record
from tests.factories import make_checkin, make_person

MORNING = {"pain": 4, "sleep_onset_minutes": 30, "sleep_quality": 3, "stiffness_minutes": 5}


def record(person, **options):
    options.setdefault("kind", "morning")
    options.setdefault("recorded_at", timezone.now())
    options.setdefault("values", dict(MORNING))
    return checkin_record(person=person, **options)


def test_the_night_is_the_evening_before_the_morning_in_the_persons_zone():
    tokyo = dt.timezone(dt.timedelta(hours=9))
    morning = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)  # 08:30 on the 3rd in Tokyo
    assert nights.night_described_at(morning, tokyo) == dt.date(2026, 3, 2)
    assert nights.night_described_at(morning, dt.UTC) == dt.date(2026, 3, 1)


@pytest.mark.django_db
def test_a_morning_checkin_is_filed_under_last_night(person):
    checkin, created = record(person)
    assert created
    assert checkin.night == timezone.now().astimezone(person.zone).date() - dt.timedelta(days=1)
    assert (checkin.pain, checkin.sleep_quality) == (4, 3)


@pytest.mark.django_db
def test_a_second_morning_checkin_for_the_same_night_is_refused_unless_replacing(person):
    first, _ = record(person)
    with pytest.raises(CheckinConflict) as caught:
        record(person, values={**MORNING, "pain": 7})
    assert caught.value.existing == first
    assert Checkin.objects.get().pain == 4
    replaced, created = record(person, values={**MORNING, "pain": 7}, replace=True)
    assert (replaced.pk, created, replaced.pain) == (first.pk, False, 7)
    assert CheckinRevision.objects.get().values["pain"] == 4


@pytest.mark.django_db
def test_an_edit_keeps_the_earlier_answers(person):
    checkin = make_checkin(person, kind="anytime", pain=2, tension=3)
    checkin_edit(checkin=checkin, values={"pain": 6})
    checkin_edit(checkin=checkin, values={"pain": 5, "note": "after gardening"})
    checkin.refresh_from_db()
    assert (checkin.pain, checkin.note) == (5, "after gardening")
    assert [r.values["pain"] for r in checkin.revisions.order_by("pk")] == [2, 6]


@pytest.mark.django_db
def test_an_edit_that_changes_nothing_keeps_no_revision(person):
    checkin = make_checkin(person, kind="anytime", pain=2, tension=3)
    checkin_edit(checkin=checkin, values={"pain": 2})
    assert not CheckinRevision.objects.exists()


@pytest.mark.django_db
def test_a_replayed_upload_is_a_no_op_and_a_different_one_with_its_id_a_conflict(person):
    checkin_id = uuid.uuid4()
    when = timezone.now()
    first, created = record(person, checkin_id=checkin_id, recorded_at=when)
    again, created_again = record(person, checkin_id=checkin_id, recorded_at=when)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    with pytest.raises(CheckinConflict):
        record(person, checkin_id=checkin_id, recorded_at=when, values={**MORNING, "pain": 9})
    assert Checkin.objects.count() == 1


@pytest.mark.django_db
def test_an_id_that_is_another_persons_is_kept_for_this_person_alone(person):
    """Ids are each person's own (device_ids.py): the stranger's check-in sent with the
    owner's id is recorded, kept apart, and replayed by that id, as any new one is."""
    checkin_id = uuid.uuid4()
    when = timezone.now()
    owners, _ = record(person, checkin_id=checkin_id, recorded_at=when)
    stranger = make_person()
    theirs, created = record(stranger, checkin_id=checkin_id, recorded_at=when)
    again, created_again = record(stranger, checkin_id=checkin_id, recorded_at=when)
    assert (created, created_again, again.pk) == (True, False, theirs.pk)
    assert theirs.pk != owners.pk and theirs.client_id == checkin_id
    with pytest.raises(CheckinConflict):
        record(stranger, checkin_id=checkin_id, recorded_at=when, values={**MORNING, "pain": 9})
    assert list(stranger.checkins.all()) == [theirs]
    assert list(person.checkins.all()) == [owners]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("when", "message"),
    [
        (dt.timedelta(hours=1), "in the future"),
        (-dt.timedelta(days=15), "14 days at most"),
    ],
)
def test_a_moment_out_of_range_is_refused(person, when, message):
    with pytest.raises(CheckinRejected, match=message):
        record(person, recorded_at=timezone.now() + when)
    assert not Checkin.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [
        {**MORNING, "pain": 11},
        {**MORNING, "pain": -1},
        {**MORNING, "sleep_quality": 6},
        {**MORNING, "sleep_onset_minutes": 721},
        {**MORNING, "note": "x" * 501},
        {**MORNING, "routine_feel": "ecstatic"},
        {**MORNING, "pain_areas": ["tail"]},
        {**MORNING, "tension": 3},
    ],
    ids=["pain-high", "pain-low", "quality", "onset", "note", "feel", "area", "wrong-kind"],
)
def test_bad_answers_are_refused_and_change_nothing(person, values):
    with pytest.raises(CheckinRejected):
        record(person, values=values)
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_a_refused_edit_changes_nothing(person):
    checkin = make_checkin(person, kind="weekly")
    with pytest.raises(CheckinRejected):
        checkin_edit(checkin=checkin, values={"peg_pain": 12})
    checkin.refresh_from_db()
    assert checkin.peg_pain == 3
    assert not CheckinRevision.objects.exists()


@pytest.mark.django_db
def test_leg_below_the_knee_is_kept_only_with_a_leg(person):
    checkin, _ = record(person, values={**MORNING, "leg_below_knee": True})
    assert checkin.leg_below_knee is None
    checkin = checkin_edit(
        checkin=checkin, values={"pain_areas": ["leg-left"], "leg_below_knee": True}
    )
    assert checkin.leg_below_knee is True


@pytest.mark.django_db
def test_the_peg_score_is_the_mean_of_its_three_answers(person):
    checkin = make_checkin(person, kind="weekly", peg_pain=6, peg_enjoyment=4, peg_activity=5)
    assert checkin.peg_score == 5.0


@pytest.mark.django_db
def test_diary_pain_feeds_the_pain_rising_rule(person):
    screen_record(person=person, answers={})
    from backcoach.safety.models import Screen

    Screen.objects.update(answered_at=timezone.now() - dt.timedelta(days=6))
    make_checkin(person, kind="anytime", days_ago=5, pain=2)
    assert safety.routine_gate(person).stop is None
    make_checkin(person, kind="anytime", days_ago=0.1, pain=6)
    assert safety.routine_gate(person).stop == safety.Gate.SCREEN
    assert safety.screen_reason(person) == Screen.Reason.PAIN_RISE


@pytest.mark.django_db
def test_a_new_symptom_asks_the_safety_check_again_until_answered(person):
    from backcoach.safety.models import Screen

    screen_record(person=person, answers={})
    make_checkin(person, kind="anytime", new_symptom=True)
    assert safety.routine_gate(person).stop == safety.Gate.SCREEN
    assert safety.screen_reason(person) == Screen.Reason.SYMPTOM
    screen_record(person=person, answers={})
    assert Screen.objects.order_by("-answered_at").first().reason == Screen.Reason.SYMPTOM
    assert safety.routine_gate(person).stop is None


@pytest.mark.django_db(transaction=True)
def test_two_tabs_sending_the_same_morning_at_once_make_one_checkin():
    person = make_person()
    outcomes, barrier = [], threading.Barrier(2)

    def send(pain):
        try:
            barrier.wait(timeout=5)
            checkin_record(
                person=person,
                kind="morning",
                recorded_at=timezone.now(),
                values={**MORNING, "pain": pain},
            )
            outcomes.append("saved")
        except CheckinConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(pain,)) for pain in (3, 8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Checkin.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_a_twin_that_loses_the_race_to_store_is_a_replay(person, monkeypatch):
    """Both twins looked for the id before either was stored: the database refuses the
    second insert, and the second is answered as a replay, not as a conflict."""
    from backcoach import device_ids
    from backcoach.diary import services

    checkin_id = uuid.uuid4()
    when = timezone.now()
    first, _ = record(
        person, checkin_id=checkin_id, recorded_at=when, kind="anytime", values={"pain": 3}
    )
    looked = []
    real_sent = device_ids.sent

    def not_yet_stored_at_first(rows, sent_id):
        looked.append(sent_id)
        return rows.none() if len(looked) == 1 else real_sent(rows, sent_id)

    monkeypatch.setattr(services.device_ids, "sent", not_yet_stored_at_first)
    again, created = record(
        person, checkin_id=checkin_id, recorded_at=when, kind="anytime", values={"pain": 3}
    )
    assert (again.pk, created, len(looked)) == (first.pk, False, 2)
    assert Checkin.objects.count() == 1
