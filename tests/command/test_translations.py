"""The Chinese catalogue covers every string the code marks for translation, and the compiled
.mo says the same as the .po (runtime needs no GNU gettext, so both are committed)."""
import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.utils.translation.template import templatize

from common.roles import Role
from platforms.models import OfficerKind

BASE = Path(settings.BASE_DIR)
CATALOGUE = BASE / "locale" / "zh_Hans" / "LC_MESSAGES"
SKIPPED = {".venv", ".local", "staticfiles", "tests", "node_modules", ".git"}
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PGETTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
STRING = r"""(u?'(?:[^'\\]|\\.)*'|u?"(?:[^"\\]|\\.)*")"""  # templatize writes u'...' literals
TEMPLATE_CALL = re.compile(rf"(?<![\w.])(_|n?p?gettext)\(\s*{STRING}(?:\s*,\s*{STRING})?")


def project_files(suffix: str):
    for path in sorted(BASE.rglob(f"*{suffix}")):
        if not SKIPPED & set(path.relative_to(BASE).parts):
            yield path


def python_msgids(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        if name in GETTEXT and args and args[0] is not None:
            yield None, args[0]
        elif name in PGETTEXT and len(args) > 1 and None not in args[:2]:
            yield args[0], args[1]


def template_msgids(path: Path):
    # templatize turns a template into the pseudo-Python that makemessages hands to xgettext.
    source = templatize(path.read_text(), origin=str(path))
    for name, first, second in TEMPLATE_CALL.findall(source):
        if name.startswith(("pgettext", "npgettext")):
            yield ast.literal_eval(first), ast.literal_eval(second)
        else:
            yield None, ast.literal_eval(first)


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(CATALOGUE / "django.po"))


def test_every_marked_string_is_in_the_catalogue(po):
    known = {(entry.msgctxt, entry.msgid) for entry in po}
    marked = {key for path in project_files(".py") for key in python_msgids(path)}
    marked |= {key for path in project_files(".html") for key in template_msgids(path)}

    assert sorted(marked - known, key=str) == []  # run makemessages -l zh_Hans and translate


def test_every_entry_is_translated_and_none_is_fuzzy(po):
    assert [entry.msgid for entry in po if not entry.msgstr and not entry.msgstr_plural] == []
    assert [entry.msgid for entry in po if "fuzzy" in entry.flags] == []
    assert [entry.msgid for entry in po.obsolete_entries()] == []


def test_the_compiled_catalogue_matches_the_po(po):
    mo = polib.mofile(str(CATALOGUE / "django.mo"))

    assert {(e.msgctxt, e.msgid): e.msgstr for e in mo if e.msgid} == {
        (e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}


def test_the_glossary_terms_are_used():
    with override("zh-hans"):
        assert [str(label) for label in (Role.DISPATCHER.label, OfficerKind.AUXILIARY.label,
                                         OfficerKind.TRAFFIC_ASSISTANT.label)] == ["调度员", "辅警", "交通协管员"]
        assert [_(text) for text in ("platform", "zone", "key site", "must-patrol point", "squad", "incident")] == [
            "移动警务平台", "网格巡区", "重点部位", "必巡点", "班", "警情"]


def test_the_extractor_sees_python_and_template_strings():
    """Guards the coverage test above against passing because it found nothing."""
    desk = set(template_msgids(BASE / "templates" / "command" / "desk.html"))
    tablet = set(template_msgids(BASE / "templates" / "command" / "tablet.html"))
    models = set(python_msgids(BASE / "platforms" / "models" / "organisation.py"))

    assert {(None, "Today's appointments"), (None, "%(minutes)s min")} <= desk
    assert (None, "No address given") in tablet  # a _() argument of a filter
    assert {(None, "Auxiliary officer"), (None, "Unknown skills: %(unknown)s.")} <= models
