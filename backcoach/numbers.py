"""What counts as a number, whichever way it comes in: the one rule that forms, the JSON
API, the CSV and JSON import and the command line all ask.

A number is finite (no NaN, no infinity), is not a boolean (`true` is not a pain of 1),
and, when it is written as text, is written with the digits 0-9: Python's `int()` and
`float()` also read "٣" (an Arabic-Indic three), "1e3", " nan " and "infinity", which a
person typing into a field or a spreadsheet cell did not mean as a number for us.

Each function returns the number or raises NumberRefused, whose message completes "pain
…" ("must be a whole number from 0 to 10, not true"), so that every path can put the
field's name in front of it. Pure: no Django.
"""

import math
import re

# Text a whole number may be written as; a decimal may have a fraction too (no exponent).
_WHOLE_TEXT = re.compile(r"[-+]?[0-9]+", re.ASCII)
_DECIMAL_TEXT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


class NumberRefused(ValueError):
    """The value is not a number as backcoach takes them; the message says why."""


def shown(value) -> str:
    """A value as the message names it: JSON's words for JSON's values."""
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("infinity" if value > 0 else "-infinity")
    if isinstance(value, str):
        return repr(value[:40])
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return f"a {type(value).__name__}"


def _limits(kind: str, minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return f"{kind} from {minimum:g} to {maximum:g}"
    if minimum is not None:
        return f"{kind} of at least {minimum:g}"
    if maximum is not None:
        return f"{kind} of at most {maximum:g}"
    return kind


def _refusal(kind: str, value, minimum, maximum) -> NumberRefused:
    if isinstance(value, float) and not math.isfinite(value):
        return NumberRefused(f"must be a finite number, not {shown(value)}")
    if isinstance(value, str) and any(c.isdigit() for c in value) and not value.isascii():
        return NumberRefused(f"must be written with the digits 0-9, not {shown(value)}")
    return NumberRefused(f"must be {_limits(kind, minimum, maximum)}, not {shown(value)}")


def _in_range(number, kind: str, value, minimum, maximum):
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise NumberRefused(f"must be {_limits(kind, minimum, maximum)}, not {shown(value)}")
    return number


def whole(value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number sent as a number (JSON, a form's cleaned value). 7.0 is 7 (JSON has
    one kind of number, and JavaScript sends 7 as 7 but a computed 7 may come as 7.0)."""
    kind = "a whole number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refusal(kind, value, minimum, maximum)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise _refusal(kind, value, minimum, maximum)
        value = int(value)
    return _in_range(value, kind, value, minimum, maximum)


def decimal(value, *, minimum: float | None = None, maximum: float | None = None) -> float:
    """A number with or without a fraction, sent as a number."""
    kind = "a number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refusal(kind, value, minimum, maximum)
    if isinstance(value, int):
        try:
            value = float(value)
        except OverflowError:
            raise _refusal(kind, value, minimum, maximum) from None
    if not math.isfinite(value):
        raise _refusal(kind, value, minimum, maximum)
    return _in_range(value, kind, value, minimum, maximum)


def whole_from_text(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number written as text (a form field, a CSV cell): digits 0-9, a sign."""
    kind = "a whole number"
    if not isinstance(text, str) or not _WHOLE_TEXT.fullmatch(text.strip()):
        raise _refusal(kind, text, minimum, maximum)
    return _in_range(int(text.strip()), kind, text, minimum, maximum)


def decimal_from_text(
    text: str, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    """A number written as text: digits 0-9, a sign, a point and a fraction (12.5)."""
    kind = "a number"
    if not isinstance(text, str) or not _DECIMAL_TEXT.fullmatch(text.strip()):
        raise _refusal(kind, text, minimum, maximum)
    number = float(text.strip())
    if not math.isfinite(number):  # more digits than a float holds
        raise _refusal(kind, number, minimum, maximum)
    return _in_range(number, kind, text, minimum, maximum)


def non_finite_in(value, path: str = "") -> str | None:
    """Where in a JSON value (lists and objects within) a NaN or an infinity is, as a path
    such as "values.fingertip_floor_cm", or None when there is none."""
    if isinstance(value, float) and not math.isfinite(value):
        return path or "the value"
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        inner = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else key)
        if (found := non_finite_in(item, inner)) is not None:
            return found
    return None


def finite_or_none(value):
    """A stored number as a reader takes it: a NaN or an infinity (written before these
    rules, or by hand in the database) reads as no answer rather than breaking a chart or
    an export."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
