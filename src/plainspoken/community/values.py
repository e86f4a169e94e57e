"""Source values to Arrow columns, in bulk, with a message that names the row when one is wrong.

Conversions run on whole batches in Arrow (C++); only when a batch fails does Python look for
the first bad value, so the error can name the file, the row, the value and the expected form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from plainspoken.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

Where = Callable[[int], str]
"""Where the i-th value of a batch came from, for messages: ``"Posts.xml row 18"``."""

_EPOCH = re.compile(r"-?\d{9,}(?:\.\d+)?")  # seconds since 1970, written as text
ISO_EXAMPLE = "ISO 8601, like 2016-12-06T17:10:44.557 or 2016-12-06T17:10:44Z"


def _utc() -> pa.DataType:
    import pyarrow as pa

    return pa.timestamp("us", tz="UTC")


def strings(values: Sequence[Any]) -> pa.Array[Any]:
    """A string column (Arrow infers faster than it converts to a declared type)."""
    import pyarrow as pa

    array: pa.Array[Any] = pa.array(values)
    return array if array.type == pa.string() else array.cast(pa.string())


def _python_time(value: str) -> datetime:
    if _EPOCH.fullmatch(value.strip()):
        return datetime.fromtimestamp(float(value), UTC)
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def iso_times(values: Sequence[str | None], field: str, where: Where) -> pa.Array[Any]:
    """ISO 8601 times (naive ones are UTC) as UTC timestamps, or the row of the first bad one.

    Values of nine or more digits are taken as seconds since 1970 (exports often mix the two).
    """
    import pyarrow as pa

    raw = pa.array(values, pa.string())
    try:
        return raw.cast(pa.timestamp("us")).cast(_utc())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    try:
        return raw.cast(_utc())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    parsed: list[datetime | None] = []
    for i, value in enumerate(values):
        if value is None or value == "":
            parsed.append(None)
            continue
        try:
            parsed.append(_python_time(value))
        except ValueError:
            raise InputError(
                where(i), f"{field} is {value!r}, not a date", f"expected {ISO_EXAMPLE}"
            ) from None
    return pa.array(parsed, _utc())


def epoch_times(values: Sequence[Any], field: str, where: Where) -> pa.Array[Any]:
    """Seconds since 1970 (numbers or numeric strings) as UTC timestamps."""
    import pyarrow as pa

    micros: list[int | None] = []
    for i, value in enumerate(values):
        if value is None or value == "":
            micros.append(None)
            continue
        try:
            micros.append(round(float(value) * 1_000_000))
        except (TypeError, ValueError):
            raise InputError(
                where(i),
                f"{field} is {value!r}, not a time",
                "expected seconds since 1970-01-01 UTC, like 1480000000",
            ) from None
    return pa.array(micros, pa.int64()).cast(_utc())


def formatted_times(
    values: Sequence[str | None], fmt: str, field: str, where: Where
) -> pa.Array[Any]:
    """Times written in a ``strptime`` format (UTC unless the format has ``%z``)."""
    import pyarrow as pa

    parsed: list[datetime | None] = []
    for i, value in enumerate(values):
        if value is None or value == "":
            parsed.append(None)
            continue
        try:
            moment = datetime.strptime(value.strip(), fmt)
        except ValueError:
            raise InputError(
                where(i), f"{field} is {value!r}, not a date", f"expected the format {fmt}"
            ) from None
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        parsed.append(moment)
    return pa.array(parsed, _utc())


def integers(values: Sequence[Any], field: str, where: Where) -> pa.Array[Any]:
    """Whole numbers (written as text or numbers) as int64, or the row of the first bad one."""
    import pyarrow as pa

    try:
        array: pa.Array[Any] = pa.array(values)
        if not (pa.types.is_integer(array.type) or pa.types.is_null(array.type)):
            array = array.cast(pa.string())
        converted: pa.Array[Any] = array.cast(pa.int64())
        return converted
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    out: list[int | None] = []
    for i, value in enumerate(values):
        if value is None or value == "":
            out.append(None)
            continue
        try:
            number = float(value)
            if number != int(number):
                raise ValueError(value)
            out.append(int(number))
        except (TypeError, ValueError, OverflowError):
            raise InputError(
                where(i), f"{field} is {value!r}, not a whole number", "fix or remove the value"
            ) from None
    return pa.array(out, pa.int64())
