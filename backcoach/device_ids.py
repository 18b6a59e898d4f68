"""Ids made by devices. A phone makes the id (a UUID) of each check-in and practice it
records, so that sending one twice, as an offline queue may, is still one row.

A device's ids are its person's own. An id that is already another person's row is kept
for this person alone, on a row with an id of its own (`client_id` holds the one the device
sent): the answer is then the one any new id gets, and tells nobody that the id was taken.
That happens only to an id copied from someone else; a device's own ids never meet."""

import uuid

from django.db.models import Model, Q, QuerySet


def sent(rows: QuerySet, sent_id: uuid.UUID) -> QuerySet:
    """The row of `rows` (one person's) that its device knows as `sent_id`."""
    return rows.filter(Q(pk=sent_id) | Q(client_id=sent_id))


def ids_for(model: type[Model], person, sent_id: uuid.UUID | None) -> dict:
    """The `id` and `client_id` of `person`'s new row that their device sent as `sent_id`
    (None: the server makes the id). A twin upload of the person's own that was stored a
    moment ago keeps the id, so that the database refuses the second and it is a replay."""
    if sent_id is None:
        return {"id": uuid.uuid4(), "client_id": None}
    if model.objects.filter(pk=sent_id).exclude(person=person).exists():
        return {"id": uuid.uuid4(), "client_id": sent_id}
    return {"id": sent_id, "client_id": None}


def as_known(record: dict) -> dict:
    """A record (with `id` and `client_id`) with the id its device knows it by."""
    client_id = record.pop("client_id")
    if client_id is not None:
        record["id"] = client_id
    return record
