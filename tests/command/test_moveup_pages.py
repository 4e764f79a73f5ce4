"""The console's move-up panel and the tablet's relocation card as the pages serve them (the
scripts that fill them: static/command/lib/console_planning.js and tablet_relocation.js)."""
import json

import pytest

from tests.command.logins import login

pytestmark = pytest.mark.django_db


def labels_of(html: str) -> dict:
    start = html.index('<script id="console-labels" type="application/json">') + len(
        '<script id="console-labels" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def test_the_console_has_a_move_up_tab_with_its_words_in_the_users_language(client, dispatcher):
    login(client, dispatcher)
    html = client.get("/console/", headers={"accept-language": "zh-hans"}).content.decode()
    assert '<button type="button" role="tab" id="tab-moveup" aria-controls="panel-moveup" aria-selected="false">动态补位' in html
    assert '<div id="moveup-panel" class="moveup-panel" aria-live="polite"></div>' in html
    words = labels_of(html)["moveup"]
    assert (words["title"], words["order"], words["status"]["open"]) == ("动态补位", "下达补位指令", "建议中")
    english = labels_of(client.get("/console/", headers={"accept-language": "en"}).content.decode())["moveup"]
    assert (english["order"], english["drive"]) == ("Order the move", "{minutes} min drive")


def test_the_tablet_has_a_hidden_relocation_card(client, officer, officer_unit):
    login(client, officer)
    html = client.get("/tablet/", headers={"accept-language": "zh-hans"}).content.decode()
    assert html.count('id="relocation-tile"') == 1
    card = html[html.index('<section id="relocation-tile"'):]
    card = card[:card.index("</section>")]
    assert ' hidden\n' in card and 'data-drive="车程约 {minutes} 分钟，{km} 公里"' in card
    assert '<h2 id="relocation-title">动态补位</h2>' in card
    assert '<strong class="relocation-place"></strong>' in card and '<time class="relocation-due"></time>' in card
