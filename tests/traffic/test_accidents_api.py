"""An accident on scene through the API: the crew records both parties (plates normalised, phones and
licences masked for readers), settles it on the spot with both signatures (the 10-minute clock stops, the
PDF prints), or escalates it; who may do what (the permission matrix); bad input answered in words with
nothing changed."""
from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch.models import IncidentEvent
from tests.api_support import client_as, matrix, readers
from tests.traffic.conftest import PARTIES, signature
from traffic.models import AccidentParty, AccidentRecord, PartyReveal, Settlement, Signature

pytestmark = pytest.mark.django_db

RECORD = {"injuries": "none", "lanes_blocked": 1, "tow_requested": False, "parties": PARTIES}


def save(request, persona, incident, body=None):
    return client_as(request, persona).put(f"/api/v1/traffic/incidents/{incident.pk}/accident", body or RECORD,
                                           format="json")


def settle(request, incident, **overrides):
    body = {"responsibility": "one", "responsible_party": 1, "rule": "rear_end", "agreement": "甲方赔偿乙方修车费",
            "signatures": {"1": signature(), "2": signature()}, **overrides}
    return client_as(request, "officer").post(f"/api/v1/traffic/incidents/{incident.pk}/accident/settlement", body,
                                              format="json")


@pytest.mark.parametrize(("persona", "code"), matrix(readers("officer")))
def test_who_may_record_an_accident(request, crash, persona, code):
    response = save(request, persona, crash)
    assert response.status_code == code
    assert AccidentRecord.objects.count() == (1 if code == 200 else 0)


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "supervisor", "officer")))
def test_who_may_read_an_accident(request, crash, persona, code):
    save(request, "officer", crash)
    assert client_as(request, persona).get(f"/api/v1/traffic/incidents/{crash.pk}/accident").status_code == code


def test_the_record_keeps_both_parties_with_plates_normalised_and_numbers_masked(request, crash):
    data = save(request, "officer", crash).json()
    assert [(p["position"], p["name"], p["phone"], p["licence_number"], p["plate"]) for p in data["parties"]] == [
        (1, "张伟", "138****8001", "**************1234", "沪A12345"),
        (2, "王芳", "139****9002", "**************2345", "沪BD12345")]
    assert (data["status"], data["injuries"], data["lanes_blocked"], data["version"]) == ("open", "none", 1, 1)


def test_saving_again_replaces_the_record_and_keeps_the_parties_rows(request, crash):
    save(request, "officer", crash)
    first = list(AccidentParty.objects.order_by("position").values_list("pk", flat=True))
    again = save(request, "officer", crash, {**RECORD, "lanes_blocked": 2, "tow_requested": True}).json()
    assert (again["lanes_blocked"], again["tow_requested_at"] is not None, again["version"]) == (2, True, 2)
    assert list(AccidentParty.objects.order_by("position").values_list("pk", flat=True)) == first


def test_quick_settlement_with_both_signatures_stops_the_clock_and_prints(request, crash):
    save(request, "officer", crash)
    response = settle(request, crash)
    accident = AccidentRecord.objects.get()
    assert response.status_code == 201
    assert (accident.status, accident.handled_at is not None) == ("settled", True)
    assert [p["signed"] for p in response.json()["parties"]] == [True, True]
    assert Signature.objects.count() == 2
    assert IncidentEvent.objects.filter(incident=crash, kind="note", data__traffic="settled").count() == 1
    pdf = client_as(request, "officer").get(f"/api/v1/traffic/incidents/{crash.pk}/accident/settlement.pdf")
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (200, "application/pdf", b"%PDF-")
    assert sorted(PartyReveal.objects.values_list("field", flat=True)) == ["pdf", "pdf"]


@pytest.mark.parametrize(("overrides", "said"), [
    ({"signatures": {"1": signature()}}, "Party B 王芳 has not signed."),
    ({"signatures": {"1": signature(), "2": signature(blank=True)}}, "Party B 王芳's signature is empty: sign on the pad."),
    ({"signatures": {"1": signature(), "2": "data:image/png;base64,aGVsbG8="}},
     "Party B 王芳's signature is not an image from the signature pad."),
    ({"responsible_party": None}, "Choose which party is responsible."),
    ({"responsible_party": 3}, "Choose which party is responsible."),
])
def test_a_settlement_missing_something_is_refused_and_nothing_changes(request, crash, overrides, said):
    save(request, "officer", crash)
    response = settle(request, crash, **overrides)
    assert response.status_code == 400
    assert said in str(response.json())
    assert (Settlement.objects.count(), Signature.objects.count(), AccidentRecord.objects.get().status) == (0, 0, "open")


def test_an_injury_cannot_be_settled_on_the_spot_and_escalates_in_one_action(request, crash):
    save(request, "officer", crash, {**RECORD, "injuries": "injured"})
    refused = settle(request, crash)
    escalated = client_as(request, "officer").post(f"/api/v1/traffic/incidents/{crash.pk}/accident/escalate",
                                                   {"reason": "乙方腿部受伤"}, format="json")
    assert refused.status_code == 400
    assert "Escalate it to a full accident case" in str(refused.json())
    assert (escalated.status_code, escalated.json()["status"], escalated.json()["escalation_reason"]) == (
        200, "escalated", "乙方腿部受伤")
    assert settle(request, crash).status_code == 409


@pytest.mark.parametrize(("party", "said"), [
    ({"plate": "ABC"}, "Party A: “ABC” is not a Chinese number plate (e.g. 沪A12345, 沪AD12345)."),
    ({"plate": ""}, "Party A: Enter the vehicle's number plate."),
    ({"phone": "call me"}, "Party A: Enter a phone number: digits, spaces or dashes."),
    ({"name": ""}, "Party A: This field cannot be blank."),
])
def test_a_party_that_is_wrong_is_refused_with_the_reason(request, crash, party, said):
    body = {**RECORD, "parties": [{**PARTIES[0], **party}, PARTIES[1]]}
    response = save(request, "officer", crash, body)
    assert (response.status_code, response.json()) == (400, {"parties": [said]})
    assert AccidentRecord.objects.count() == 0


def test_a_pedestrian_needs_no_plate(request, crash):
    body = {**RECORD, "parties": [PARTIES[0], {"name": "李明", "phone": "13700137003", "vehicle_kind": "pedestrian"}]}
    assert save(request, "officer", crash, body).status_code == 200


def test_a_settlement_time_in_the_future_is_refused(request, crash):
    save(request, "officer", crash)
    response = settle(request, crash, at=(timezone.now() + timedelta(minutes=5)).isoformat())
    assert (response.status_code, response.json()) == (400, {"at": ["That time is in the future: check the tablet's clock."]})


def test_revealing_a_party_phone_is_recorded(request, crash, dispatcher):
    save(request, "officer", crash)
    party = AccidentParty.objects.get(position=2)
    answer = client_as(request, "dispatcher").post(f"/api/v1/traffic/accident-parties/{party.pk}/reveal",
                                                   {"field": "phone"}, format="json")
    refused = client_as(request, "supervisor").post(f"/api/v1/traffic/accident-parties/{party.pk}/reveal",
                                                    {"field": "phone"}, format="json")
    assert (answer.status_code, answer.json()) == (200, {"value": "13900139002"})
    assert refused.status_code == 403
    assert list(PartyReveal.objects.values_list("party_id", "field", "user__username")) == [(party.pk, "phone", "dispatcher")]


def test_an_incident_of_another_kind_has_no_accident(request, zone, officer_unit, officer):
    from tests.traffic.conftest import on_job

    fight = on_job("public_order", zone, officer_unit)
    response = save(request, "officer", fight)
    assert (response.status_code, response.json()) == (400, {"non_field_errors": [
        f"Incident {fight.number} is not a traffic accident."]})
