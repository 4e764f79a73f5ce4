"""`manage.py plan solve`: a deployment model solved exactly on plain files (demand, sites and
times as CSV, or an OR-Library p-median instance), so any published instance can be checked."""
import json

from django.core.management.base import BaseCommand, CommandError

from planning import files
from planning.solver import MODELS, solve


class Command(BaseCommand):
    help = "Deployment planning (布警): solve a location model exactly with HiGHS."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        solving = sub.add_parser("solve", help="solve p-median, MCLP, LSCP or MEXCLP on plain files")
        solving.add_argument("--model", choices=MODELS, required=True)
        solving.add_argument("--demand", help="CSV: id,weight[,within][,x,y]")
        solving.add_argument("--sites", help="CSV: id[,fixed][,capacity][,x,y]")
        solving.add_argument("--times", help="CSV: from,to,seconds (site to demand point; a missing pair is unreachable)")
        solving.add_argument("--euclidean", action="store_true", help="straight-line distance between x,y instead of --times")
        solving.add_argument("--orlib", help="an OR-Library p-median file (n m p, then m edges i j cost)")
        solving.add_argument("--p", type=int, help="how many sites to open (units to place, MEXCLP)")
        solving.add_argument("--within", type=float, help="seconds: the limit of points without their own")
        solving.add_argument("--busy", type=float, help="MEXCLP: the share of time a unit is busy")
        solving.add_argument("--time-limit", type=float, help="seconds; the best plan found is reported, not proven")
        solving.add_argument("--json", action="store_true", help="print JSON only")

    def handle(self, *args, action, **options):
        try:
            problem = files.load(model=options["model"], demand=options["demand"], sites=options["sites"],
                                 times=options["times"], euclidean_=options["euclidean"], orlib=options["orlib"],
                                 p=options["p"], within=options["within"], busy=options["busy"],
                                 time_limit=options["time_limit"])
            result = solve(problem.instance, problem.model, p=problem.p, within=problem.within, busy=problem.busy,
                           time_limit=problem.time_limit)
        except ValueError as error:  # files.InputError and UsageError included
            raise CommandError(str(error)) from None
        report = {"model": result.model, "instance": _size(problem.instance), "p": problem.p} | result.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False))
        else:
            self.stdout.write(_summary(report))


def _size(instance) -> dict:
    return {"demand_points": len(instance.demand), "sites": len(instance.sites), "pairs": len(instance.point)}


def _summary(report: dict) -> str:
    claim = "optimal (proven)" if report["proven_optimal"] else report["status"].replace("_", " ") + ", not proven"
    lines = [f"{report['model']}: {claim}; objective {report['objective']}, bound {report['bound']}, "
             f"gap {report['gap']}, {report['solve_seconds']} s",
             f"sites ({len(report['sites'])}): {', '.join(report['sites']) or '-'}"]
    if report["out_of_reach"]:
        lines.append(f"out of reach ({len(report['out_of_reach'])}): {', '.join(report['out_of_reach'])}")
    return "\n".join(lines)
