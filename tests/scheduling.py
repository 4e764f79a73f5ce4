"""The run's order, and under pytest-xdist which worker runs what (`make test` runs three workers).

A module is one unit of work: it runs whole on one worker, so its module fixtures (the road network,
the demo city, a started web server) are set up once. The modules that start the demo topology are
one unit together, so the demo starts once. Units go out longest first, by the durations measured in
tests/durations.json (module -> seconds; a module missing from it counts as short), so the run does
not end with one worker in a long module while the other has nothing left to do. The file only
orders the run: a stale figure makes a run slower, never wrong. Refresh it from a run's JUnit XML:
`python -m tests.scheduling junit.xml`.
"""
import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

DURATIONS = Path(__file__).with_name("durations.json")
DEMO_UNIT = "the demo topology"
# The modules whose tests ask for the session's `demo` (tests/plugins/demo.py); collection fails if
# a test elsewhere asks for it, so a new one is added here.
DEMO_MODULES = frozenset({"tests/command/demo/test_demo.py", "tests/command/simulation/test_live.py"})


def unit_of(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    return DEMO_UNIT if module in DEMO_MODULES else module


def measured() -> dict[str, float]:
    return json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}


def name_each_operation(items) -> None:
    """Schemathesis (4.x, on pytest 9) gives every operation's test one node id, the function's: xdist
    keys tests by node id, so 268 operations would run as one. Each gets its operation in its id."""
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and item._id.params is None:  # pytest 9's structured id (_pytest.nodeid.NodeId)
            item._id = item._id.with_params(label)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    name_each_operation(items)
    strays = [item.nodeid for item in items if "demo" in getattr(item, "fixturenames", ())
              and unit_of(item.nodeid) != DEMO_UNIT]
    if strays:
        raise pytest.UsageError(f"add these tests' modules to DEMO_MODULES in tests/scheduling.py: {strays}")
    seconds = measured()
    units: dict[str, float] = defaultdict(float)
    for item in items:
        units[unit_of(item.nodeid)] = 0.0
    for module, spent in seconds.items():
        if unit_of(module) in units:
            units[unit_of(module)] += spent
    # stable: a module's tests keep their order, and the demo's modules stay together
    items.sort(key=lambda item: (-units[unit_of(item.nodeid)], unit_of(item.nodeid)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        """xdist's scope scheduling with our units, in the collection's order (longest first)."""

        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    config.option.loadscopereorder = False
    return ModuleScheduling(config, log)


def durations_of(junit_xml: Path) -> dict[str, float]:
    spent: dict[str, float] = defaultdict(float)
    for case in ET.parse(junit_xml).iter("testcase"):
        module = case.get("classname", "").split(".")
        while module and not module[-1].startswith("test_"):  # a test class: its module is above it
            module.pop()
        if module:
            spent["/".join(module) + ".py"] += float(case.get("time") or 0)
    return {module: round(seconds, 1) for module, seconds in sorted(spent.items(), key=lambda kv: -kv[1])}


if __name__ == "__main__":
    DURATIONS.write_text(json.dumps(durations_of(Path(sys.argv[1])), indent=1, ensure_ascii=False) + "\n")
