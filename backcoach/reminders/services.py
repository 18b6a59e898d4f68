from django.db import transaction

from .models import CalendarFeed, new_token


@transaction.atomic
def calendar_feed_save(*, person, lead_minutes: int) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.update_or_create(
        person=person, defaults={"lead_minutes": lead_minutes}
    )
    return feed


@transaction.atomic
def calendar_feed_renew(*, person) -> CalendarFeed | None:
    """A new secret address; calendars subscribed to the old one stop receiving it.
    None when the person has no feed."""
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is not None:
        feed.token = new_token()
        feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_stop(*, person) -> bool:
    """Switch the reminder off: the feed and its address are gone. False when there was none."""
    deleted, _ = CalendarFeed.objects.filter(person=person).delete()
    return bool(deleted)
