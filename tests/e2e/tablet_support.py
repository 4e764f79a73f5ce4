"""What the tablet's browser tests (tests/e2e/test_tablet_*.py) share: a tablet context at a place with
its location allowed, the logged-in tablet, a dispatcher's console beside it, and reading the running
tablet's objects through its entry module."""
from tests.e2e import support
from tests.e2e.support import CONSOLE, TABLET, log_in, wait_for, watch

SCENE = (31.2296, 121.4722)   # lat, lon: by People's Square, a few hundred metres from the crew (POSTED)


def tablet_context(browser, point, **options):
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                               geolocation={"latitude": point[0], "longitude": point[1]},
                               permissions=["geolocation"], **options)


def logged_in_tablet(context, url: str, errors: list):
    tablet = watch(context.new_page(), errors)
    log_in(tablet, url, "tablet-officer", "/tablet/")
    return tablet


def console_beside(browser, url: str, errors: list):
    console = watch(browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page(), errors)
    log_in(console, url, "wall-dispatcher", "/console/")
    return console


def on_tablet(page, expression: str):
    """`expression` evaluated with `t`, the running Tablet (static/command/lib/tablet.js)."""
    return page.evaluate(f"import('{TABLET}').then((m) => {{ const t = m.tablet; return {expression}; }})")


def on_console(page, expression: str):
    """`expression` evaluated with `c`, the running LiveConsole (static/command/lib/live_console.js)."""
    return page.evaluate(f"import('{CONSOLE}').then((m) => {{ const c = m.liveConsole; return {expression}; }})")


def until(page, expression: str) -> None:
    """Wait until `expression` (which may be a promise: wait_for_function would take the promise itself
    as true) is true in the page."""
    wait_for(lambda: page.evaluate(expression))


def shot(page, name: str) -> None:
    page.screenshot(path=support.ARTIFACTS / f"tablet-{name}.png", full_page=True)
