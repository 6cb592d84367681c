"""Turns driver-specific result values into plain Python values at the store boundary."""

from __future__ import annotations

from typing import Any

_SCALARS = (str, int, float, type(None))
"""What most values are (bool is an int): returned before any other check, as they were
after all of them, since every value of every row of a read passes here."""


def plain(value: Any) -> Any:
    """Nodes and relationships of either driver become dicts of their properties.

    Both the FalkorDB and the neo4j driver types expose `properties`/`items()`; lists and
    maps are converted element by element, scalars pass through.
    """
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    props = getattr(value, "properties", None)
    if isinstance(props, dict):
        return {k: plain(v) for k, v in props.items()}
    items = getattr(value, "items", None)
    if callable(items):
        return {k: plain(v) for k, v in items()}
    return value
