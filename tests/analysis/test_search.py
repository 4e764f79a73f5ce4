"""Incident search's free text: what the database keeps in analysis.IncidentText (its triggers follow
every way an incident's words change) finds exactly what a substring test over the incident, its notes
and its further callers finds, case folded; and on-view incidents are neither met nor missed."""
from datetime import timedelta

import pytest
from django.utils import timezone

from analysis.models import IncidentText
from analysis.search import SearchQuery, incidents_search
from dispatch.callers import caller_attach
from dispatch.models import EventKind, Incident, IncidentCaller, IncidentEvent
from dispatch.notes import incident_note_add
from tests import factories as f

pytestmark = pytest.mark.django_db


def found(text="", **fields) -> list[str]:
    now = timezone.now()
    query = SearchQuery(since=now - timedelta(days=30), until=now + timedelta(minutes=1), text=text, **fields)
    return sorted(incidents_search(platform_ids=None, query=query).values_list("number", flat=True))


def expected(text: str) -> list[str]:
    """The rule search keeps: the term, case folded, inside any of the incident's searched words."""
    term, numbers = text.lower(), []
    for incident in Incident.objects.all():
        notes = IncidentEvent.objects.filter(incident=incident, kind=EventKind.NOTE).values_list("data__text", flat=True)
        callers = [f"{c.name} {c.phone} {c.notes}" for c in IncidentCaller.objects.filter(incident=incident)]
        words = [incident.number, incident.address, incident.description, incident.caller_name, incident.caller_phone,
                 *notes, *callers]
        if any(term in word.lower() for word in words):
            numbers.append(incident.number)
    return sorted(numbers)


@pytest.fixture
def incidents(dispatcher):
    theft = f.IncidentFactory(number="110-A-1", description="自行车被盗窃", address="南京东路 Nanjing Rd 100号")
    fight = f.IncidentFactory(number="110-A-2", description="酒后打架", caller_phone="13912345678")
    quiet = f.IncidentFactory(number="110-A-3", description="咨询", caller_name="王五")
    incident_note_add(actor=dispatcher, incident=fight, text="已联系报警人, 当事人离开")
    caller_attach(actor=dispatcher, incident=quiet, name="赵六", phone="13700001111", notes="听到玻璃破碎")
    return {"theft": theft, "fight": fight, "quiet": quiet}


@pytest.mark.parametrize("text", ["盗", "盗窃", "110-", "110-a-2", "NANJING", "nanjing rd", "139123", "已联系",
                                  "赵六", "玻璃", "137000", "王五", "100%", "a_1", "不存在"])
def test_free_text_finds_what_a_substring_test_finds(incidents, text):
    assert found(text) == expected(text)


def test_the_text_follows_edits_notes_and_callers(incidents, dispatcher):
    theft = incidents["theft"]
    Incident.objects.filter(pk=theft.pk).update(address="人民大道200号")
    incident_note_add(actor=dispatcher, incident=theft, text="嫌疑人穿红色外套")
    caller = caller_attach(actor=dispatcher, incident=incidents["fight"], name="钱七", phone="", notes="")
    IncidentCaller.objects.filter(pk=caller.pk).update(notes="看见两人扭打")

    assert (found("nanjing"), found("人民大道"), found("红色外套"), found("扭打")) == (
        [], ["110-A-1"], ["110-A-1"], ["110-A-2"])
    assert IncidentText.objects.get(pk=theft.pk).text == (
        "110-a-1 人民大道200号 自行车被盗窃 张三 13800138000 嫌疑人穿红色外套")


def test_a_status_change_leaves_the_text_alone(incidents):
    before = IncidentText.objects.get(pk=incidents["fight"].pk).text
    Incident.objects.filter(pk=incidents["fight"].pk).update(status="closed")
    assert IncidentText.objects.get(pk=incidents["fight"].pk).text == before


def test_an_incident_found_on_patrol_is_neither_met_nor_missed():
    now = timezone.now()
    for number, origin in (("110-OV", "on_view"), ("110-CALL", "call")):
        f.IncidentFactory(number=number, origin=origin, received_at=now - timedelta(minutes=5),
                          dispatched_at=now - timedelta(minutes=5), on_scene_at=now - timedelta(minutes=5))
    assert (found(met=True), found(met=False)) == (["110-CALL"], [])
