"""The instance `manage.py plan solve` reads from its files and options, with every problem in
them reported by file and line (the solver's readers) or by option, before anything is solved."""
from dataclasses import dataclass

from planning.solver import Instance
from planning.solver.readers import InputError, euclidean, read_demand, read_orlib, read_sites, read_times

COUNTED = ("pmedian", "mclp", "mexclp")  # the models that place p sites (units)
COVERING = ("mclp", "lscp", "mexclp")


class UsageError(ValueError):
    """Options that do not fit together."""


@dataclass(frozen=True)
class Problem:
    instance: Instance
    model: str
    p: int | None
    within: float | None
    busy: float | None
    time_limit: float | None


def load(*, model: str, demand=None, sites=None, times=None, euclidean_=False, orlib=None, p=None, within=None,
         busy=None, time_limit=None) -> Problem:
    _check_options(model, p=p, within=within, busy=busy, time_limit=time_limit, p_in_file=orlib is not None)
    if orlib is not None:
        if demand or sites or times or euclidean_:
            raise UsageError("--orlib reads the whole instance: leave out --demand, --sites, --times and --euclidean")
        if model in COVERING and within is None:
            raise UsageError(f"--model {model} on --orlib needs --within (its nodes have no limits of their own)")
        instance, file_p = read_orlib(orlib)
        p = (p or file_p) if model in COUNTED else None
        _check_count(instance, model, p, f"the {len(instance.sites)} nodes in {orlib}")
    else:
        instance = _from_csv(model, demand, sites, times, euclidean_, default_within=within)
        _check_count(instance, model, p, f"the {len(instance.sites)} sites in {sites}", sites=sites)
    return Problem(instance=instance, model=model, p=p, within=within, busy=busy, time_limit=time_limit)


def _check_options(model: str, *, p, within, busy, time_limit, p_in_file: bool) -> None:
    if model in COUNTED and p is None and not p_in_file:
        raise UsageError(f"--model {model} needs --p")
    if model == "lscp" and p is not None:
        raise UsageError("--model lscp finds the fewest sites itself: leave out --p")
    if p is not None and p < 1:
        raise UsageError("--p must be at least 1")
    if model == "mexclp" and busy is None:
        raise UsageError("--model mexclp needs --busy (the share of time a unit is busy, at least 0 and less than 1)")
    if busy is not None and model != "mexclp":
        raise UsageError("--busy is for --model mexclp only")
    if busy is not None and not 0 <= busy < 1:
        raise UsageError("--busy must be at least 0 and less than 1")
    if within is not None and model not in COVERING:
        raise UsageError("--within is for the covering models (mclp, lscp, mexclp)")
    if within is not None and not within > 0:
        raise UsageError("--within must be more than 0 seconds")
    if time_limit is not None and not time_limit > 0:
        raise UsageError("--time-limit must be more than 0 seconds")


def _from_csv(model: str, demand, sites, times, straight: bool, *, default_within) -> Instance:
    if not (demand and sites):
        raise UsageError("give --demand and --sites, or --orlib")
    if bool(times) == bool(straight):
        raise UsageError("give --times, or --euclidean for the straight-line distance between x,y (not both)")
    points = read_demand(demand, xy=straight, within=model in COVERING and default_within is None)
    places = read_sites(sites, xy=straight)
    if straight:
        return euclidean(points, places)
    return read_times(times, points, places, demand_file=demand, sites_file=sites)


def _check_count(instance: Instance, model: str, p, available: str, *, sites=None) -> None:
    if p is None:
        return
    if model == "mexclp" and instance.capacitated:
        room = sum(1 if s.capacity is None else int(s.capacity) for s in instance.sites)
        if p > room:
            raise UsageError(f"--p {p} is more units than the sites in {sites} can hold ({room})")
    elif p > len(instance.sites):
        raise UsageError(f"--p {p} is more than {available}")
    if (fixed := int(instance.fixed.sum())) > p:
        raise UsageError(f"{sites} fixes {fixed} sites, more than --p {p}")


__all__ = ["InputError", "Problem", "UsageError", "load"]
