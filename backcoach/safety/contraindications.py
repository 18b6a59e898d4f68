"""The health conditions backcoach asks about: each one a contraindication key that rules a
technique out or calls for care with it.

Pure Python. Safety owns these words; the library's content files name them in a
technique's `contraindications`. Keep the keys stable: they are stored with each person's
conditions.
"""

CONTRAINDICATIONS = {
    "osteoporosis": "Osteoporosis or fragile bones",
    "pregnancy": "Pregnancy",
    "recent-spinal-surgery": "Back or spine surgery in the last 6 months",
    "deep-vein-thrombosis": "A blood clot (deep vein thrombosis), now or recently",
    "skin-wound-or-infection": "An open wound, rash or skin infection on the back",
    "fracture": "A broken bone that has not healed",
    "local-inflammation": "A hot, red or swollen area on the back",
    "bleeding-risk": "A bleeding disorder, or blood-thinning medicine",
    "nerve-symptoms-leg": "Pain, tingling or numbness running down a leg",
    "hip-replacement": "A hip replacement",
    "knee-problem": "A painful or injured knee",
    "wrist-problem": "A painful or injured wrist or hand",
}


def excluded_by(conditions, excludes) -> bool:
    """True when any of a person's conditions rules out a technique that excludes
    `excludes`. The one place this rule is written: the builder and the player both ask."""
    return not set(conditions).isdisjoint(excludes)


def cautions_for(conditions, cautions) -> list[dict]:
    """The technique's cautions ({"key", "say"}) that apply to a person's conditions."""
    keys = set(conditions)
    return [caution for caution in cautions if caution["key"] in keys]
