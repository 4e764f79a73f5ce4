"""The front end's layout (DESIGN §2): modules under static/command/lib/ export and never run code at
import; a page loads one entry module, from static/command/pages/, which imports from lib/ and starts
the page. No module sits at static/command/'s top.

The check is line-based: it reads the unindented lines of a module (its top-level statements) and
lets through imports, exports, function and class declarations, and const/let bound to a literal, an
arrow function, a function expression or an Object.freeze() of a literal. It does not parse
JavaScript; the tests at the bottom feed it code that runs at import to show that it catches it."""
import re
from pathlib import Path

import pytest


def project_root() -> Path:
    here = Path(__file__).resolve()
    return next(folder for folder in here.parents if (folder / "manage.py").exists())


ROOT = project_root()
STATIC = ROOT / "static" / "command"
LIB = STATIC / "lib"
PAGES = STATIC / "pages"
TEMPLATES = ROOT / "templates"

STRING = re.compile(r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\$]|\$(?!\{))*`""")
REGEX_LITERAL = re.compile(r"/(?:\\.|\[(?:\\.|[^\]\\])*\]|[^/\\\[\n])+/[dgimsuy]*")
TRAILING_COMMENT = re.compile(r"\s*//.*$")

IMPORT = re.compile(r"import\s*[\w${*'\"]")
RE_EXPORT = re.compile(r"export\s*(\*|\{)")
DECLARATION = re.compile(r"(export\s+(default\s+)?)?(async\s+)?(function\b|class\s+[\w$]+\s*(extends\s+[\w$]+\s*)?\{)")
BINDING = re.compile(r"(export\s+)?(const|let)\s+[\w$]+\s*(?:=\s*(?P<value>.*?))?;?$")
CLOSER = re.compile(r"[\]})]+[\]});,]*$|\}\s*from\s*['\"].*$|;$")

ARROW = re.compile(r"(async\s+)?(\([^()]*\)|[\w$]+)\s*=>")
FUNCTION = re.compile(r"(async\s+)?function\b")
FROZEN = re.compile(r"Object\.freeze\(\s*(?P<literal>[\[{].*)$")
LITERAL = re.compile(r"(-?\d|[\"'`\[{]|(true|false|null|undefined)\b)")
RUNS = re.compile(r"\(|\bnew\s|\$\{|[A-Za-z_$][\w$]*\s*\.\s*[A-Za-z_$]")  # a call, a construction, a read


def literal_runs_code(text: str) -> bool:
    """Whether the part of a literal on its first line calls, constructs or reads anything."""
    if REGEX_LITERAL.fullmatch(text):
        return False
    return bool(RUNS.search(STRING.sub('""', text)))


def value_problem(value: str | None) -> bool:
    if value is None or ARROW.match(value) or FUNCTION.match(value):
        return False
    frozen = FROZEN.match(value)
    if frozen:
        return literal_runs_code(frozen["literal"])
    if value.startswith("/"):
        return not REGEX_LITERAL.fullmatch(value)
    return not LITERAL.match(value) or literal_runs_code(value)


def statement_allowed(line: str) -> bool:
    if IMPORT.match(line) or RE_EXPORT.match(line) or DECLARATION.match(line) or CLOSER.match(line):
        return True
    binding = BINDING.match(line)
    return bool(binding) and not value_problem(binding["value"])


def top_level_problems(source: str) -> list[str]:
    """The unindented lines that are not an import, an export, a declaration or a constant."""
    problems = []
    in_comment = False
    for number, line in enumerate(source.splitlines(), start=1):
        if in_comment:
            in_comment = "*/" not in line
            continue
        if not line or line[0].isspace() or line.startswith("//"):
            continue
        if line.startswith("/*"):
            in_comment = "*/" not in line
            continue
        if not statement_allowed(TRAILING_COMMENT.sub("", line).rstrip()):
            problems.append(f"{number}: {line}")
    return problems


IMPORTED = re.compile(r"""^(?:import|export)\b[^'";]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']""", re.M)


def specifiers(source: str) -> list[str]:
    """The modules a module imports or re-exports from."""
    return [name for pair in IMPORTED.findall(source) for name in pair if name]


def js(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.js"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- the library: exports only ---------------------------------------------------------------------

@pytest.mark.parametrize("module", js(LIB), ids=relative)
def test_a_library_module_runs_nothing_at_import(module):
    assert top_level_problems(module.read_text(encoding="utf-8")) == []


def test_there_is_a_library_to_check():
    assert {path.name for path in js(LIB)} >= {"feed.js", "map.js", "live_console.js", "tablet.js"}


@pytest.mark.parametrize("module", js(LIB), ids=relative)
def test_a_library_module_imports_only_the_library(module):
    assert [name for name in specifiers(module.read_text(encoding="utf-8")) if not re.fullmatch(r"\./[\w/]+\.js", name)] == []


# --- the pages: one entry module each --------------------------------------------------------------

SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)>")
STATIC_SRC = re.compile(r"""src="\{%\s*static\s+['"](?P<path>[^'"]+)['"]\s*%\}\"""")


def scripts_of(template: Path) -> list[tuple[str, bool]]:
    """(static path, is a module) of each of our scripts (static/command/) the template loads."""
    found = []
    for tag in SCRIPT.finditer(template.read_text(encoding="utf-8")):
        src = STATIC_SRC.search(tag["attributes"])
        if src and src["path"].startswith("command/"):
            found.append((src["path"], 'type="module"' in tag["attributes"]))
    return found


TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))
PAGE_TEMPLATES = [template for template in TEMPLATE_FILES if scripts_of(template)]


def test_pages_with_scripts_are_found():
    assert {template.name for template in PAGE_TEMPLATES} >= {"console.html", "supervisor.html", "tablet.html", "coverage.html"}


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=relative)
def test_a_page_loads_one_entry_module_and_nothing_else_of_ours(template):
    scripts = scripts_of(template)
    assert len(scripts) == 1, scripts
    [(path, is_module)] = scripts
    assert is_module and re.fullmatch(r"command/pages/\w+\.js", path), path
    assert (ROOT / "static" / path).is_file()


def test_every_entry_module_is_loaded_by_a_page():
    loaded = {path for template in PAGE_TEMPLATES for path, _module in scripts_of(template)}
    assert {f"command/pages/{module.name}" for module in js(PAGES)} == loaded


# What several pages show is written once, in a partial: (a mark of it, the partial that holds it).
SHARED_BLOCKS = [
    ("leaflet/leaflet.js", "command/partials/leaflet.html"),
    ("leaflet/leaflet.css", "command/partials/leaflet.html"),
    ("data-tiles=", "command/partials/map.html"),
    ('class="roster-nav"', "command/partials/platform_nav.html"),
    ('id="live-state"', "command/partials/live/state.html"),
    ('id="alert-list"', "command/partials/live/alerts.html"),
    ('id="incident-queue"', "command/partials/live/queue.html"),
    ('id="unit-board"', "command/partials/live/unit_board.html"),
]


@pytest.mark.parametrize(("mark", "partial"), SHARED_BLOCKS)
def test_a_shared_block_is_written_once_in_its_partial(mark, partial):
    holders = [relative(template) for template in TEMPLATE_FILES if mark in template.read_text(encoding="utf-8")]
    assert holders == [f"templates/{partial}"]


@pytest.mark.parametrize("module", js(PAGES), ids=relative)
def test_an_entry_module_imports_the_library_only(module):
    """Not another page: importing an entry module starts that page."""
    names = specifiers(module.read_text(encoding="utf-8"))
    assert names and [name for name in names if not re.fullmatch(r"\.\./lib/[\w/]+\.js", name)] == []


def test_every_module_is_a_library_module_or_a_page_entry():
    assert [relative(module) for module in sorted(STATIC.rglob("*.js")) if module.parent not in (LIB, PAGES)] == []


# --- the checker can fail --------------------------------------------------------------------------

RUNS_AT_IMPORT = [
    "start();",
    "export const tablet = start();",
    "const L = window.L;",
    "export const UnitsLayer = L.Layer.extend({",
    "const OPEN = new Set([\"received\"]);",
    "document.addEventListener(\"DOMContentLoaded\", start);",
    "if (window.L) start();",
    "for (const page of pages) page.start();",
    "let consoleMap = drawWallMap();",
    "export default start();",
    "const labels = readJson(\"console-labels\") || {};",
    "const ready = `${document.title} ready`;",
    "const TILE = 256 * window.devicePixelRatio;",
    "export const FROZEN = Object.freeze({ at: Date.now() });",
    "new LiveFeed({}).start();",
    "await api(\"/api/v1/console/snapshot\");",
    "(() => start())();",
    "class UnitsLayer extends L.Layer {",
    "export class Tiles extends makeBase() {",
]


@pytest.mark.parametrize("line", RUNS_AT_IMPORT)
def test_the_checker_catches_code_run_at_import(line):
    source = f"// a module\nimport {{ api }} from \"./api.js\";\n\n{line}\n"
    assert top_level_problems(source) == [f"4: {line}"]


def test_the_checker_lets_declarations_and_constants_through():
    source = '''// A module that only exports.
/* A block comment,
start(); inside it is not code. */
import { api } from "./api.js";
import {
  clock,
} from "./clock.js";
export { escapeHtml } from "./dom.js";

const TILE = 256;  // px
const FONT = '"Noto Sans CJK SC", sans-serif';
const CJK = /[\\u2e80-\\u9fff]/;
let layerClass = null;
let pending;
const COLOURS = Object.freeze({ 1: "#c62828", 2: "#ef6c00" });
const OPEN = Object.freeze(["received", "waiting"]);
export const STYLE = {
  motorway: ["#e892a2", "#c24e6b", 8],
};
const shrink = ([x0, y0, x1, y1], by) => [x0 + by, y0 + by, x1 - by, y1 - by];
const twice = async (value) => value * 2;
const later = function () { return 1; };

export function start() {
  return api("/x");
}

export async function load() {}

class Feed extends Map {
}
export class LiveFeed {
}
'''
    assert top_level_problems(source) == []


def test_specifiers_are_read_from_imports_and_re_exports_only():
    source = 'import {\n  a,\n} from "./a.js";\nimport "./b.js";\nexport { c } from "../lib/c.js";\nexport function f() { return "./d.js"; }\n'
    assert specifiers(source) == ["./a.js", "./b.js", "../lib/c.js"]
