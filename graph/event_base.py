"""What every event has: its `kind`, the `subjects` it touches and the `key_subject` it is
encrypted under, each stated once in the class line of the event.

    @dataclass(frozen=True)
    class VitalsRecorded(EventBase, kind="VitalsRecorded",
                         subjects=("patient_id", "stage_id", "observations")):
        patient_id: str
        ...

`kind` is the name the ledger records and the graph's projection dispatches on. It is given
explicitly, not taken from the class name, so that renaming a class can never change what a
ledger holds. It becomes the event's first field, a `Literal` with that one value, exactly as
each event used to declare it by hand: pydantic's discriminated union needs the `Literal`, and
the encoded bytes keep `"kind"` first, so ledgers written before this base existed replay.
"""

from __future__ import annotations

import inspect
from dataclasses import Field, field
from typing import Any, ClassVar, Literal


class EventBase:
    """The base of every event dataclass (not itself a dataclass: it adds no field but `kind`).

    `subjects` names fields, in the order the subjects are listed; a field may hold an id
    (`str`), an optional id (defaulting to None: it names a subject only when set and not
    empty), a value with an `id`, or a tuple of them (each item's `id`, in order).
    `key_subject` names the field whose id the payload is encrypted under.
    """

    kind: str
    subject_fields: ClassVar[tuple[str, ...]] = ()
    key_field: ClassVar[str] = "patient_id"
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def __init_subclass__(
        cls,
        *,
        kind: str | None = None,
        subjects: tuple[str, ...] = (),
        key_subject: str = "patient_id",
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls.subject_fields = subjects
        cls.key_field = key_subject
        if kind is None:  # a family of events (knowledge), not an event itself
            return
        cls.__annotations__ = {"kind": Literal[kind], **inspect.get_annotations(cls)}
        cls.kind = field(default=kind, kw_only=True)

    @property
    def subjects(self) -> tuple[str, ...]:
        """The ids of the nodes the event touches: public ledger metadata, random ids only."""
        ids: list[str] = []
        for name in self.subject_fields:
            value = getattr(self, name)
            if isinstance(value, tuple):
                ids.extend(item.id for item in value)
            elif isinstance(value, str):
                if value or self.__dataclass_fields__[name].default is not None:
                    ids.append(value)
            elif value is not None:
                ids.append(value.id)
        return tuple(ids)

    @property
    def key_subject(self) -> str:
        """Whose data key the payload is encrypted under: erasing that key erases the payload."""
        key: str = getattr(self, self.key_field)
        return key
