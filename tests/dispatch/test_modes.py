"""Every way of moving ranked by its own travel (issue 16), and what each may do: an officer on foot near
the scene ahead of a car farther away, never sent 3 km; a car sent beside a unit on foot or on two wheels
where the category needs one; limits per category and mode, kept as rows over the defaults."""
import pytest

from dispatch import decisions, engine, mode_policy
from dispatch.models import Category, EventKind, ModePolicy, Priority
from dispatch.services import incident_create
from tests import factories as f
from tests.api_support import matrix, readers
from tests.dispatch.support import place
from tests.places import FAR_WEST, NANJING_EAST, PEOPLES_SQUARE

pytestmark = [pytest.mark.usefixtures("demo_network", "eager_tasks", "fresh_policy"), pytest.mark.django_db]

NEAR_THE_SQUARE = (121.4745, 31.2309)  # about 90 m from PEOPLES_SQUARE


@pytest.fixture
def fresh_policy():
    mode_policy.forget()
    yield
    mode_policy.forget()


@pytest.fixture
def take_call(dispatcher, django_capture_on_commit_callbacks):
    def take(point=PEOPLES_SQUARE, *, priority=Priority.P1, category=Category.CRIMINAL):
        with django_capture_on_commit_callbacks(execute=True):
            incident, _ = incident_create(actor=dispatcher, category=category, priority=priority,
                                          lon=point[0], lat=point[1])
        incident.refresh_from_db()
        return incident

    return take


def unit(call_sign, kind):
    return f.UnitFactory(call_sign=call_sign, vehicle__kind=kind)


def sent(incident):
    return list(incident.assignments.order_by("pk").values_list("unit__call_sign", flat=True))


def test_each_unit_is_ranked_by_its_own_travel(take_call):
    place(unit("步01", "on_foot"), NEAR_THE_SQUARE)
    place(unit("车01", "patrol_car"), NANJING_EAST)
    place(unit("摩01", "motorcycle"), NANJING_EAST)
    incident = take_call(priority=Priority.P3, category=Category.DISPUTE)
    options = incident.recommendations.get().options
    assert [(o["call_sign"], o["mode"]) for o in options][:1] == [("步01", "foot")]
    assert {o["call_sign"]: o["mode"] for o in options} == {"步01": "foot", "车01": "car", "摩01": "motorcycle"}
    by_sign = {o["call_sign"]: o for o in options}
    assert by_sign["摩01"]["eta_s"] == by_sign["车01"]["eta_s"]  # free flow: the motorcycle drives as the car


def test_a_car_goes_beside_the_officer_on_foot_first_at_a_criminal_call(take_call):
    place(unit("步01", "on_foot"), NEAR_THE_SQUARE)
    place(unit("车01", "patrol_car"), NANJING_EAST)
    incident = take_call(priority=Priority.P2, category=Category.CRIMINAL)  # one unit needed (a P1: two)
    assert sent(incident) == ["步01", "车01"]
    assert incident.units_needed == 2
    backup = incident.events.get(kind=EventKind.CAR_BACKUP)
    assert (backup.unit.call_sign, backup.data["beside_call_sign"], backup.data["beside_mode"]) == ("车01", "步01", "foot")
    assert incident.recommendations.get().proposed == list(incident.assignments.order_by("pk")
                                                           .values_list("unit_id", flat=True))


def test_a_dispute_on_foot_needs_no_car(take_call):
    place(unit("步01", "on_foot"), NEAR_THE_SQUARE)
    place(unit("车01", "patrol_car"), NANJING_EAST)
    incident = take_call(priority=Priority.P1, category=Category.DISPUTE)
    assert (sent(incident), incident.units_needed) == (["步01"], 1)
    assert not incident.events.filter(kind=EventKind.CAR_BACKUP).exists()


def test_the_car_is_ranked_on_its_own_when_none_is_among_the_best(take_call, settings):
    settings.RECOMMENDATION_ALTERNATIVES = 0
    place(unit("步01", "on_foot"), NEAR_THE_SQUARE)
    place(unit("车01", "patrol_car"), FAR_WEST)
    incident = take_call(priority=Priority.P1, category=Category.TRAFFIC_ACCIDENT)
    assert sent(incident) == ["步01", "车01"]
    assert [o["call_sign"] for o in incident.recommendations.get().options] == ["步01", "车01"]


def test_an_officer_on_foot_is_never_sent_3_km(take_call):
    place(unit("步远", "on_foot"), FAR_WEST)          # 4.6 km: a 56-minute walk
    place(unit("车01", "patrol_car"), FAR_WEST)
    incident = take_call(priority=Priority.P1, category=Category.DISPUTE)
    assert sent(incident) == ["车01"]
    assert [o["call_sign"] for o in incident.recommendations.get().options] == ["车01"]


def test_a_category_may_refuse_a_mode_and_lift_a_limit(take_call):
    ModePolicy.objects.create(category=Category.PUBLIC_ORDER, mode="foot", allowed=False)
    place(unit("步01", "on_foot"), NEAR_THE_SQUARE)
    place(unit("车01", "patrol_car"), NANJING_EAST)
    assert sent(take_call(priority=Priority.P1, category=Category.PUBLIC_ORDER)) == ["车01"]
    ModePolicy.objects.create(category=Category.DISPUTE, mode="foot", allowed=True, max_eta_s=None)
    mode_policy.forget()
    far = place(unit("步远", "on_foot"), FAR_WEST)
    options = engine.rank(take_call(priority=Priority.P4, category=Category.DISPUTE), k=5)
    assert far.pk in [o.unit for o in options]


def test_with_the_modes_off_units_rank_as_before_and_no_car_goes_beside(take_call, settings):
    settings.DISPATCH_MODES = False
    place(unit("步01", "on_foot"), NEAR_THE_SQUARE)
    place(unit("车01", "patrol_car"), NANJING_EAST)
    place(unit("摩01", "motorcycle"), NANJING_EAST)
    incident = take_call(priority=Priority.P2, category=Category.CRIMINAL)
    options = incident.recommendations.get().options
    # before issue 16: a crew on foot walked, every other crew (the motorcycle too) drove as a car
    assert {o["call_sign"]: o["mode"] for o in options} == {"步01": "foot", "车01": "car", "摩01": "car"}
    assert sent(incident) == ["步01"] and incident.units_needed == 1


def test_the_pure_rule_adds_a_car_only_beside_a_unit_not_in_one():
    def option(unit_id, mode):
        return engine.Option(unit=unit_id, call_sign=str(unit_id), eta_s=60, distance_m=100, meets_target=True,
                             stale=False, workload=0, estimated=False, mode=mode)

    foot, car, bike = option(1, "foot"), option(2, "car"), option(3, "motorcycle")
    assert decisions.with_car_beside([foot], [car]) == [foot, car]
    assert decisions.with_car_beside([bike, car], [car]) == [bike, car]
    assert decisions.with_car_beside([car], [option(4, "car")]) == [car]
    assert decisions.with_car_beside([], [car]) == []


class TestTheRulesApi:
    @pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "supervisor")))
    def test_who_may_read_them(self, as_, persona, code):
        assert as_(persona).get("/api/v1/mode-policies/").status_code == code
        assert as_(persona).get("/api/v1/mode-policies/effective").status_code == code

    @pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", code=201)))
    def test_who_may_set_one(self, as_, persona, code):
        answer = as_(persona).post("/api/v1/mode-policies/", {"category": "dispute", "mode": "bicycle",
                                                              "max_eta_s": 600}, format="json")
        assert answer.status_code == code

    def test_the_effective_rules_show_defaults_and_overrides(self, as_):
        as_("administrator").post("/api/v1/mode-policies/", {"category": "dispute", "mode": "foot", "max_eta_s": 300},
                                  format="json")
        rules = {(r["category"], r["mode"]): r for r in as_("dispatcher").get("/api/v1/mode-policies/effective").json()}
        assert len(rules) == 8 * 4
        assert rules[("dispute", "foot")] == {"category": "dispute", "mode": "foot", "allowed": True, "max_eta_s": 300.0,
                                              "car_backup": False, "overridden": True}
        assert rules[("criminal", "motorcycle")] == {"category": "criminal", "mode": "motorcycle", "allowed": True,
                                                     "max_eta_s": None, "car_backup": True, "overridden": False}

    def test_bad_rules_are_refused_with_a_message(self, as_):
        admin = as_("administrator")
        assert admin.post("/api/v1/mode-policies/", {"category": "dispute", "mode": "foot", "max_eta_s": 5},
                          format="json").json() == {"max_eta_s": ["Ensure this value is greater than or equal to 30."]}
        assert admin.post("/api/v1/mode-policies/", {"category": "dispute", "mode": "car", "car_backup": True},
                          format="json").status_code == 400
        assert admin.post("/api/v1/mode-policies/", {"category": "dispute", "mode": "hovercraft"},
                          format="json").json() == {"mode": ['"hovercraft" is not a valid choice.']}
        assert ModePolicy.objects.count() == 0
