"""Bad input to `manage.py plan solve`: a CommandError that names the file and the line (or the
option), and nothing printed."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

DEMAND = "id,weight,within\nd1,1,60\nd2,2,180\n"
SITES = "id,fixed\ns1,0\ns2,0\ns3,0\n"
TIMES = "from,to,seconds\ns1,d1,10\ns2,d2,20\n"
ORLIB = "3 2 1\n1 2 5\n2 3 7\n"


def refused(*options) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("plan", "solve", *options, "--json", stdout=out)
    assert out.getvalue() == ""  # nothing written
    return str(error.value)


@pytest.fixture
def files(tmp_path):
    """Write the three files (good unless given) and return the options naming them, and their paths."""
    def write(demand=DEMAND, sites=SITES, times=TIMES):
        paths = {}
        for name, text in (("demand", demand), ("sites", sites), ("times", times)):
            paths[name] = tmp_path / f"{name}.csv"
            paths[name].write_bytes(text if isinstance(text, bytes) else text.encode())
        return [f"--{name}={path}" for name, path in paths.items()], {k: str(v) for k, v in paths.items()}
    return write


@pytest.mark.parametrize(("which", "text", "message"), [
    ("times", "from,to,seconds\ns1,d1,10\ns2,d2,-5\n", "{times}, line 3: seconds must not be negative, not -5"),
    ("times", "from,to,seconds\ns1,d1,abc\n", "{times}, line 2: seconds must be a number, not 'abc'"),
    ("times", "from,to,seconds\ns1,d1,nan\n", "{times}, line 2: seconds must be a finite number, not 'nan'"),
    ("times", "from,to,seconds\ns1,d1,\n", "{times}, line 2: no seconds"),
    ("times", "from,to,seconds\ns1,d1,10\ns9,d1,10\n", "{times}, line 3: 's9' is not a site in {sites}"),
    ("times", "from,to,seconds\ns1,d9,10\n", "{times}, line 2: 'd9' is not a demand point in {demand}"),
    ("times", "from,to,seconds\ns1,d1,10\n\ns1,d1,12\n", "{times}, line 4: s1 to d1 is listed twice (first on line 2)"),
    ("times", "from,to,secs\ns1,d1,10\n", "{times}, line 1: missing column 'seconds' (the header is from,to,secs)"),
    ("demand", "", "{demand}: the file is empty"),
    ("demand", "id,weight\n", "{demand}: no demand points"),
    ("demand", "id,x,y\nd1,0,0\n", "{demand}, line 1: missing column 'weight' (the header is id,x,y)"),
    ("demand", "id,weight\nd1,-1\n", "{demand}, line 2: weight must not be negative, not -1"),
    ("demand", "id,weight\nd1,1\nd1,2\n", "{demand}, line 3: demand point 'd1' is listed twice (first on line 2)"),
    ("demand", "id,weight\n,1\n", "{demand}, line 2: no id"),
    ("demand", "id,weight,within\nd1,1,0\n", "{demand}, line 2: within must be more than 0, not 0"),
    ("demand", "id,weight,x\nd1,1,east\n", "{demand}, line 2: x must be a number, not 'east'"),
    ("demand", b"id,weight\nd\xff1,1\n", "{demand}: is not UTF-8 text"),
    ("sites", "id\n", "{sites}: no candidate sites"),
    ("sites", "id,fixed\ns1,maybe\n", "{sites}, line 2: fixed must be 1 or 0 (true/false, yes/no), not 'maybe'"),
    ("sites", "id,capacity\ns1,lots\n", "{sites}, line 2: capacity must be a number, not 'lots'"),
    ("sites", "id,fixed\ns1,1\ns2,yes\ns3,0\n", "{sites} fixes 2 sites, more than --p 1"),
])
def test_a_bad_file_is_named_with_its_line(files, which, text, message):
    options, paths = files(**{which: text})
    assert refused("--model", "pmedian", "--p", "1", *options) == message.format(**paths)


@pytest.mark.parametrize(("options", "message"), [
    (["--model", "pmedian", "--p", "4"], "--p 4 is more than the 3 sites in {sites}"),
    (["--model", "pmedian"], "--model pmedian needs --p"),
    (["--model", "pmedian", "--p", "0"], "--p must be at least 1"),
    (["--model", "lscp", "--p", "2"], "--model lscp finds the fewest sites itself: leave out --p"),
    (["--model", "mexclp", "--p", "1"], "--model mexclp needs --busy (the share of time a unit is busy, at least 0 and less than 1)"),
    (["--model", "mexclp", "--p", "1", "--busy", "1"], "--busy must be at least 0 and less than 1"),
    (["--model", "mclp", "--p", "1", "--busy", "0.5"], "--busy is for --model mexclp only"),
    (["--model", "pmedian", "--p", "1", "--within", "60"], "--within is for the covering models (mclp, lscp, mexclp)"),
    (["--model", "mclp", "--p", "1", "--within", "0"], "--within must be more than 0 seconds"),
    (["--model", "pmedian", "--p", "1", "--time-limit", "0"], "--time-limit must be more than 0 seconds"),
    (["--model", "pmedian", "--p", "1", "--euclidean"], "give --times, or --euclidean for the straight-line distance between x,y (not both)"),
])
def test_options_that_do_not_fit_are_refused(files, options, message):
    names, paths = files()
    assert refused(*options, *names) == message.format(**paths)


def test_a_point_without_its_own_limit_needs_within(files):
    names, paths = files(demand="id,weight\nd1,1\n", times="from,to,seconds\ns1,d1,10\n")
    assert refused("--model", "mclp", "--p", "1", *names) == \
        f"{paths['demand']}, line 2: demand point 'd1' has no within: give it one or pass --within"


def test_mexclp_counts_the_units_the_sites_can_hold(files):
    names, paths = files(sites="id,capacity\ns1,2\ns2,\ns3,1\n")
    assert refused("--model", "mexclp", "--p", "5", "--busy", "0.3", *names) == \
        f"--p 5 is more units than the sites in {paths['sites']} can hold (4)"


def test_a_file_that_does_not_exist(files, tmp_path):
    names, _ = files()
    assert refused("--model", "pmedian", "--p", "1", *names[1:], f"--demand={tmp_path / 'nope.csv'}") == \
        f"{tmp_path / 'nope.csv'}: no such file"


def test_straight_lines_need_x_and_y(files):
    names, paths = files(demand="id,weight,x,y\nd1,1,0,0\nd2,1,,\n")
    assert refused("--model", "pmedian", "--p", "1", *names[:2], "--euclidean") == \
        f"{paths['demand']}, line 3: no x,y (--euclidean needs both)"


def test_missing_files(files):
    names, _ = files()
    assert refused("--model", "pmedian", "--p", "1", names[0]) == "give --demand and --sites, or --orlib"


@pytest.mark.parametrize(("text", "message"), [
    ("", "{path}: the file is empty"),
    ("8 12\n", "{path}, line 1: expected 'n m p' (whole numbers), not '8 12'"),
    ("3 1 0\n1 2 5\n", "{path}, line 1: n and p must be at least 1: '3 1 0'"),
    ("3 1 4\n1 2 5\n", "{path}, line 1: p = 4 is more than the 3 nodes"),
    ("3 2 1\n1 2 5\n", "{path}: the first line announces 2 edges, 1 follow"),
    ("3 1 1\n\n1 4 5\n", "{path}, line 3: the nodes are 1 to 3: '1 4 5'"),
    ("3 1 1\n1 2 -5\n", "{path}, line 2: cost must not be negative, not -5"),
    ("3 1 1\n1 two 5\n", "{path}, line 2: expected an edge 'i j cost', not '1 two 5'"),
])
def test_a_bad_or_library_file_is_named_with_its_line(tmp_path, text, message):
    path = tmp_path / "pmed.txt"
    path.write_text(text)
    assert refused("--model", "pmedian", "--orlib", str(path)) == message.format(path=path)


@pytest.mark.parametrize(("options", "message"), [
    (["--model", "pmedian", "--p", "9"], "--p 9 is more than the 3 nodes in {path}"),
    (["--model", "mclp"], "--model mclp on --orlib needs --within (its nodes have no limits of their own)"),
    (["--model", "pmedian", "--euclidean"], "--orlib reads the whole instance: leave out --demand, --sites, --times and --euclidean"),
])
def test_or_library_options_that_do_not_fit(tmp_path, options, message):
    path = tmp_path / "pmed.txt"
    path.write_text(ORLIB)
    assert refused(*options, "--orlib", str(path)) == message.format(path=path)
