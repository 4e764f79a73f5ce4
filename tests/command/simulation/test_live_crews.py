"""Which units the live simulator drives: every unit on duty but those crewed by an officer with a login,
whom a person works from the tablet (the demo's `officer`). Against a stand-in for the HTTP API, so
the rule is checked without the running demo (tests/command/simulation/test_live.py runs it whole)."""
from command.simulation.live import LiveSimulator

POST = (121.4737, 31.2304)


class StandInApi:
    """Answers the simulator's reads as the API would, and records the paths it was asked."""

    def __init__(self, units, officers):
        self.rows = {"/api/v1/units/": units, "/api/v1/officers/": officers, "/api/v1/patrol-tasks/": []}
        self.asked = []

    def get_all(self, path, **query):
        self.asked.append((path, query))
        return self.rows[path]


def unit(pk, call_sign, officers):
    return {"id": pk, "call_sign": call_sign, "officers": officers, "vehicle": None, "platform": 1,
            "lon": POST[0], "lat": POST[1], "capabilities": ["patrol"]}


def simulator(api) -> tuple[LiveSimulator, list[str]]:
    said = []
    sim = LiveSimulator(base_url="http://127.0.0.1:9", token="unused", log=said.append)
    sim.api, sim.vehicles, sim.posts, sim.plans_of = api, {}, {1: [POST]}, None
    return sim, said


def test_a_unit_crewed_by_an_officer_with_a_login_is_left_to_its_tablet():
    api = StandInApi(units=[unit(10, "人广01", [100, 101, 102]), unit(11, "人广02", [103, 104]), unit(12, "人广03", [])],
                     officers=[{"id": 100, "user": 7}, {"id": 101, "user": None}, {"id": 102, "user": None},
                               {"id": 103, "user": None}, {"id": 104, "user": None}])
    sim, said = simulator(api)
    sim._load_units(0.0)
    sim._load_units(60.0)  # the next refresh: still left alone, and said once
    assert sorted(sim.crews) == [11, 12]
    assert sim.left_to_crews == {10}
    assert said == ["simulator: 人广01 is left to its crew's tablet"]
    assert ("/api/v1/officers/", {"active": "true"}) in api.asked


def test_a_crew_whose_officer_gets_a_login_is_let_go_once_it_is_off_the_job():
    officers = [{"id": 100, "user": None}]
    api = StandInApi(units=[unit(10, "人广01", [100])], officers=officers)
    sim, _ = simulator(api)
    sim._load_units(0.0)
    assert sorted(sim.crews) == [10]
    officers[0]["user"] = 7  # an administrator links a login to the officer
    sim._load_units(60.0)
    assert (sorted(sim.crews), sim.left_to_crews) == ([], {10})
