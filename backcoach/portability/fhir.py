"""The diary's measures as a FHIR R4 Bundle of Observations, for another health record.

Codes (docs/export.md says where each comes from):
- pain now, 0-10: LOINC 72514-3, "Pain severity - 0-10 verbal numeric rating [Score] -
  Reported";
- PEG-3, minutes to fall asleep, sleep quality and fingertip-to-floor distance: no LOINC
  code that we could confirm fits them as backcoach asks them, so they carry codes of our
  own code system, MEASURES, with their wording in `display` and `text`.
"""

import json
import uuid
from collections.abc import Iterator

from django.utils import timezone

from backcoach import numbers

from .tables import CHUNK

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
MEASURES = "urn:backcoach:measure"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
# (field, code system, code, display, UCUM unit or None for a plain number)
MEASURE_CODES = (
    (
        "pain",
        LOINC,
        "72514-3",
        "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        "{score}",
    ),
    (
        "sleep_onset_minutes",
        MEASURES,
        "sleep-onset-minutes",
        "Minutes to fall asleep last night",
        "min",
    ),
    (
        "sleep_quality",
        MEASURES,
        "sleep-quality",
        "Sleep quality last night, 1 (very poor) to 5 (very good)",
        "{score}",
    ),
    (
        "fingertip_floor_cm",
        MEASURES,
        "fingertip-to-floor",
        "Fingertip-to-floor distance in a forward bend",
        "cm",
    ),
)
PEG = (
    MEASURES,
    "peg-3",
    "PEG-3: pain, enjoyment of life and general activity, mean of three 0-10 items",
)
PEG_ITEMS = (
    ("peg_pain", "peg-pain", "Average pain in the past week, 0-10"),
    ("peg_enjoyment", "peg-enjoyment", "Pain's interference with enjoyment of life, 0-10"),
    ("peg_activity", "peg-activity", "Pain's interference with general activity, 0-10"),
)


def _quantity(value, unit: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def _observation(ident: str, patient: str, when, system, code, display, value, unit) -> dict:
    return {
        "fullUrl": f"urn:uuid:{ident}",
        "resource": {
            "resourceType": "Observation",
            "id": ident,
            "status": "final",
            "category": [SURVEY],
            "code": {
                "coding": [{"system": system, "code": code, "display": display}],
                "text": display,
            },
            "subject": {"reference": patient},
            "effectiveDateTime": when.isoformat(),
            "valueQuantity": _quantity(value, unit),
        },
    }


def observations(checkin: dict, patient: str) -> Iterator[dict]:
    """The Observations in one check-in (a row with its id, recorded_at and answers)."""
    for field, system, code, display, unit in MEASURE_CODES:
        value = numbers.finite_or_none(checkin.get(field))
        if value is not None:
            ident = str(uuid.uuid5(checkin["id"], field))
            yield _observation(
                ident, patient, checkin["recorded_at"], system, code, display, value, unit
            )
    items = [checkin.get(field) for field, _, _ in PEG_ITEMS]
    if None not in items:
        ident = str(uuid.uuid5(checkin["id"], "peg-3"))
        entry = _observation(
            ident, patient, checkin["recorded_at"], *PEG, round(sum(items) / 3, 2), "{score}"
        )
        entry["resource"]["component"] = [
            {
                "code": {"coding": [{"system": MEASURES, "code": code, "display": display}]},
                "valueQuantity": _quantity(value, "{score}"),
            }
            for (_, code, display), value in zip(PEG_ITEMS, items, strict=True)
        ]
        yield entry


FIELDS = ("id", "recorded_at", *(m[0] for m in MEASURE_CODES), *(i[0] for i in PEG_ITEMS))


def bundle(person) -> Iterator[str]:
    """A Bundle (type collection): the person as a Patient, then every measure."""
    patient_id = str(
        uuid.uuid5(
            uuid.NAMESPACE_URL, f"backcoach:person:{person.pk}:{person.date_joined.isoformat()}"
        )
    )
    patient = f"urn:uuid:{patient_id}"
    head = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
    }
    yield json.dumps(head)[:-1] + ', "entry": [\n'
    person_entry = {
        "fullUrl": patient,
        "resource": {
            "resourceType": "Patient",
            "id": patient_id,
            "name": [{"text": person.name or person.email}],
        },
    }
    yield json.dumps(person_entry, ensure_ascii=False)
    rows = person.checkins.order_by("recorded_at", "id").values(*FIELDS).iterator(chunk_size=CHUNK)
    for row in rows:
        for entry in observations(row, patient):
            yield ",\n" + json.dumps(entry, ensure_ascii=False, allow_nan=False)
    yield "\n]}\n"
