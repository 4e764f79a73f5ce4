"""The weekly briefing (周会商) in real headless Chromium against the real ASGI app and a real Celery
worker: a dispatcher runs it on demand for the week of 16 November 2026 and follows its progress, opens
it and sees its ECharts charts drawn (SVG with shapes in it), downloads the week's incidents as CSV
(callers' phones masked) and the PDF briefing, which opens and carries the Chinese title as text."""
import csv
import io

import pypdf
import pytest
from playwright.sync_api import expect

from analysis import rollups
from common.phones import mask_phone
from tests.e2e.review_support import a_week_of_calls
from tests.e2e.support import ARTIFACTS, STEP_MS, log_in, watch

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
TITLE = "周会商 · 全市 · 2026-11-16 至 2026-11-22"
CHARTS = """() => ["chart-categories", "chart-hours", "chart-response"].map((id) => {
  const svg = document.querySelector(`#${id} svg`);
  return svg ? [Math.round(svg.getBoundingClientRect().width) > 100, svg.querySelectorAll("path").length > 5] : null;
})"""


def run_the_briefing(page) -> None:
    """On demand: the kind (weekly is the default) and a day of the week; the progress until it is done."""
    page.fill("#briefing-form input[name=start]", "2026-11-18")
    page.click("#briefing-form button[type=submit]")
    expect(page.locator("#briefing-run progress")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#briefing-run")).to_have_attribute("data-status", "done", timeout=STEP_MS)
    expect(page.locator("#briefing-run progress")).to_have_attribute("value", "100")
    with page.expect_navigation():
        page.click("#briefing-run a.open")


def see_the_charts(page) -> None:
    expect(page.locator("#briefing-title")).to_have_text(TITLE)
    expect(page.locator(".charts")).to_have_attribute("data-ready", "true", timeout=STEP_MS)
    assert page.evaluate(CHARTS) == [[True, True]] * 3
    assert "刑事" in page.locator("#chart-categories svg text").all_text_contents()
    expect(page.locator("#by-category tbody tr").first).to_contain_text("刑事")
    expect(page.locator("#by-category tbody tr").first).to_contain_text("50.0%")   # 3 against 2 the week before


def download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return open(info.value.path(), "rb").read()


def check_the_csv(page) -> None:
    text = download(page, "#briefing-csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["number", "received_at", "category"] and len(rows) == 1 + 5   # the week's five calls
    assert {row[8] for row in rows[1:]} == {mask_phone("13800138000")} and "13800138000" not in text


def check_the_pdf(page) -> None:
    pdf = pypdf.PdfReader(io.BytesIO(download(page, "#briefing-pdf")))
    assert pdf.pages[0].extract_text().splitlines()[0] == TITLE
    assert pdf.metadata.title == TITLE


def test_run_the_weekly_briefing_see_its_charts_and_download_it(chromium, asgi_server, worker, city, page_errors):
    a_week_of_calls()
    rollups.rollups_build_all()
    worker.wait_ready()
    page = watch(chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN",
                                      accept_downloads=True).new_page(), page_errors)
    log_in(page, asgi_server, "wall-dispatcher", "/analysis/briefings/", live=False)

    run_the_briefing(page)
    see_the_charts(page)
    page.screenshot(path=ARTIFACTS / "review-briefing.png", full_page=True)
    check_the_csv(page)
    check_the_pdf(page)
    assert page_errors == []
