"""The surgery commands' rules: phases in order, each once, on a surgery one may act on."""

from __future__ import annotations

import pytest

from api.resources import Resources
from api.twin import forms, surgery
from api.twin.access import Role
from api.twin.errors import Conflict, InvalidInput, NotFound
from api.twin.unit import Unit
from tests.api.twin.conftest import admitted, ago, staff

pytestmark = pytest.mark.anyio

def _surgery(patient_id: str, **changes: object) -> forms.Surgery:
    """Scheduled 55 minutes ago, assessed 50 minutes ago (times taken when called)."""
    pre = forms.PreOperative(ago(minutes=50), 2, True, forms.SurgicalRisk.LOW)
    fields: dict[str, object] = {
        "patient_id": patient_id, "procedure_code": "80146002",
        "procedure_display": "Appendectomy", "scheduled_at": ago(minutes=55),
        "pre_operative": pre} | changes
    return forms.Surgery(**fields)  # type: ignore[arg-type]


def _intra(minutes_ago: float = 40) -> forms.IntraOperative:
    return forms.IntraOperative(ago(minutes=minutes_ago), ago(minutes=minutes_ago - 20),
                                "general")


async def _scheduled(doctor: Unit) -> str:
    patient_id = await admitted(doctor)
    return (await surgery.record_surgery(doctor, _surgery(patient_id))).node_id


async def test_the_post_operative_phase_needs_the_intra_operative_one(
        resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)
    post = forms.PostOperative(ago(minutes=5), "uneventful")
    with pytest.raises(InvalidInput) as refused:
        await surgery.record_surgery(doctor, _surgery(patient_id, post_operative=post))
    assert refused.value.field == "postOperative"
    surgery_id = await _scheduled(doctor)
    with pytest.raises(Conflict, match="intra-operative phase first"):
        await surgery.record_post_operative(doctor, surgery_id, post)


async def test_each_phase_is_recorded_once_in_time_order(resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    surgery_id = await _scheduled(doctor)
    with pytest.raises(InvalidInput) as early:
        await surgery.record_intra_operative(doctor, surgery_id, _intra(minutes_ago=58))
    assert early.value.field == "intraOperative.startedAt"
    assert str(early.value).startswith(
        "intraOperative.startedAt: is before the pre-operative assessment")
    backwards = forms.IntraOperative(ago(minutes=20), ago(minutes=40), "general")
    with pytest.raises(InvalidInput) as ended:
        await surgery.record_intra_operative(doctor, surgery_id, backwards)
    assert str(ended.value).startswith("intraOperative.endedAt: is before the start")
    await surgery.record_intra_operative(doctor, surgery_id, _intra())
    with pytest.raises(Conflict, match="intra-operative phase is already recorded"):
        await surgery.record_intra_operative(doctor, surgery_id, _intra())
    post = forms.PostOperative(ago(minutes=5), "uneventful", ["ileus"])
    done = await surgery.record_post_operative(doctor, surgery_id, post)
    [row] = await resources.store.read("surgery_get", {"stage_id": surgery_id})
    assert {p["phase"] for p in row["phases"]} == {
        "PRE_OPERATIVE", "INTRA_OPERATIVE", "POST_OPERATIVE"}
    assert done.node_id != surgery_id and done.anchor.seq == resources.ledger.size - 1


async def test_a_surgery_of_another_team_is_answered_like_an_unknown_one(
        resources: Resources) -> None:
    doctor, other = await staff(resources, Role.PHYSICIAN), await staff(resources, Role.PHYSICIAN)
    surgery_id = await _scheduled(doctor)
    with pytest.raises(NotFound) as hidden:
        await surgery.record_intra_operative(other, surgery_id, _intra())
    with pytest.raises(NotFound) as missing:
        await surgery.record_intra_operative(other, "no-such-surgery", _intra())
    assert str(hidden.value).replace(surgery_id, "?") == \
        str(missing.value).replace("no-such-surgery", "?")
