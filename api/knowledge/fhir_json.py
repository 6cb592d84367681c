"""FHIR JSON read and written exactly: a decimal keeps the digits it was written with.

FHIR's `decimal` is a decimal, not a binary float: `12.493521780236973` and `1.50` must come
back as written. Every number with a fraction or an exponent is read as a `Written` decimal,
which remembers its text, and written back with simplejson, which writes a `Decimal` as its
`str`: the text it came with. The models that validate and map a resource want plain floats:
`plain` gives them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import simplejson


class Written(Decimal):
    """A decimal that is written back with the digits it was read with (`1.50`, `1e2`)."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> Written:
        self = super().__new__(cls, text)
        self.text = text
        return self

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Written({self.text!r})"


def loads(text: str | bytes) -> Any:
    """JSON with every non-integer number as a `Written` decimal (integers stay `int`)."""
    return simplejson.loads(text, parse_float=Written)


def dumps(value: Any, indent: int | None = None) -> str:
    """JSON text, compact unless indented; a `Decimal` is written with its own digits, a
    float as Python's shortest repr (the same number back), text as UTF-8 characters."""
    text: str = simplejson.dumps(value, use_decimal=True, ensure_ascii=False, indent=indent,
                                 separators=(",", ": ") if indent else (",", ":"),
                                 allow_nan=False)
    return text


def plain(value: Any) -> Any:
    """The same JSON value with floats for decimals: what the R4 models and the mapping read."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
