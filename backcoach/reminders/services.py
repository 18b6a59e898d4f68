from django.db import transaction

from .models import CalendarFeed, new_token


@transaction.atomic
def calendar_feed_save(*, person, lead_minutes: int) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.update_or_create(
        person=person, defaults={"lead_minutes": lead_minutes}
    )
    return feed


@transaction.atomic
def calendar_feed_renew(*, feed: CalendarFeed) -> CalendarFeed:
    """A new secret address; calendars subscribed to the old one stop receiving it."""
    feed.token = new_token()
    feed.save(update_fields=["token"])
    return feed
