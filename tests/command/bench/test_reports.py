"""`manage.py bench reports` on the hand-built history (numbered as seed_history numbers its calls): the
month's briefing from the rollups and from raw rows give the same answer, the hot spots and every
query of the fixed search set are measured, each with its own figures. (Its timings are measured by
running it, never asserted.)"""
import json
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from analysis import rollups
from command.bench import reports
from dispatch.models import Incident
from tests.analysis.history import hand_built_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(monkeypatch):
    city = hand_built_history()
    for n, incident in enumerate(Incident.objects.order_by("pk"), start=1):
        Incident.objects.filter(pk=incident.pk).update(number=f"110-{incident.received_at:%Y%m%d}-H{n:05d}")
    rollups.rollups_build_all()
    now = timezone.make_aware(datetime(2026, 12, 4, 9, 0), timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: now)   # "last month" is the hand-built November
    return city


def test_bench_reports_measures_the_briefing_both_ways_the_hot_spots_and_each_search(history):
    out = StringIO()
    call_command("bench", "reports", "--repeat", "2", "--json", stdout=out)
    result = json.loads(out.getvalue())

    assert result["history_incidents"] == 15
    month = result["briefing_month"]
    assert (month["period"], month["incidents"], month["same_answer"]) == (
        {"start": "2026-11-01", "end": "2026-11-30", "days": 30}, 10, True)
    assert (month["rollups"]["runs"], month["raw"]["runs"], result["hot_spots_month"]["incidents"]) == (2, 2, 10)
    search = result["search"]
    assert (search["queries"], search["runs"], len(search["per_query"])) == (12, 24, 12)
    assert [q["query"] for q in search["per_query"]] == [json.loads(json.dumps(q)) for q in reports.SEARCHES]
    assert [q["runs"] for q in search["per_query"]] == [2] * 12
    assert search["matches_per_query"] == [q["matches"] for q in search["per_query"]]
    assert search["per_query"][-1]["matches"] == 10   # no filter: the year's incidents (the 2025 week is older)


def test_bench_reports_without_a_history_says_what_to_run():
    with pytest.raises(CommandError, match="seed_history"):
        call_command("bench", "reports", "--repeat", "1")
