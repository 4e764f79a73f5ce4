"""Looking back (研判): the rollups briefings read instead of the raw incidents, the briefings
themselves, and the patrols sent to hot spots."""
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DailyRollup(models.Model):
    """One local day's incidents of one zone, category and target class: counts, by hour and by
    priority, and every reached incident's two clocks (unrounded seconds), so that percentiles read
    from the rollup are exactly those of the raw rows. Rebuilt a day at a time (rollups.py)."""

    day = models.DateField(_("day"))
    zone = models.ForeignKey("grid.Zone", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
                             related_name="+", verbose_name=_("zone"))
    category = models.CharField(_("category"), max_length=30)
    target_s = models.PositiveIntegerField(_("response target (s)"))
    incidents = models.PositiveIntegerField(_("incidents"))
    cancelled = models.PositiveIntegerField(_("cancelled"))
    on_view = models.PositiveIntegerField(_("found on patrol"))
    unreached = models.PositiveIntegerField(_("not cancelled, no unit on scene"))
    by_hour = ArrayField(models.PositiveIntegerField(), size=24, verbose_name=_("by hour"))
    by_priority = ArrayField(models.PositiveIntegerField(), size=4, verbose_name=_("by priority"))
    reached = models.PositiveIntegerField(_("reached"))
    met = models.PositiveIntegerField(_("within target"))
    unverified = models.PositiveIntegerField(_("unverified arrivals"))
    dispatch_to_scene_s = ArrayField(models.FloatField(), verbose_name=_("ordered to on scene (s)"))
    call_to_scene_s = ArrayField(models.FloatField(), verbose_name=_("call to on scene (s)"))

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [models.UniqueConstraint(fields=["day", "zone", "category", "target_s"], nulls_distinct=False,
                                               name="analysis_dailyrollup_one_row")]

    def __str__(self):
        return f"{self.day} {self.zone_id} {self.category} {self.target_s}"


class CellRollup(models.Model):
    """One local day's incidents of one category in one H3 cell (resolution CELL_RESOLUTION), by hour:
    what the hot-spot analysis reads."""

    day = models.DateField(_("day"))
    cell = models.CharField(_("H3 cell"), max_length=16)
    category = models.CharField(_("category"), max_length=30)
    incidents = models.PositiveIntegerField(_("incidents"))
    by_hour = ArrayField(models.PositiveIntegerField(), size=24, verbose_name=_("by hour"))

    class Meta:
        verbose_name = _("cell rollup")
        verbose_name_plural = _("cell rollups")
        constraints = [models.UniqueConstraint(fields=["day", "cell", "category"], name="analysis_cellrollup_one_row")]

    def __str__(self):
        return f"{self.day} {self.cell} {self.category}"


class IncidentText(models.Model):
    """Everything free-text search reads of one incident, lower-cased in one column: its number, address,
    description and caller, its notes and its further callers. Kept by the database itself (triggers on
    dispatch's tables, migration 0005), so search tests one short column per incident instead of three
    tables, and no code path of dispatch needs to know analysis exists."""

    incident = models.OneToOneField("dispatch.Incident", primary_key=True, on_delete=models.DO_NOTHING,
                                    db_constraint=False, related_name="+", verbose_name=_("incident"))
    text = models.TextField(_("search text"))

    class Meta:
        verbose_name = _("incident search text")
        verbose_name_plural = _("incident search texts")

    def __str__(self):
        return str(self.incident_id)


class RollupState(models.Model):
    """How far the rollups have read the timeline (one row): the last incident event seen, and the last
    one seen the time before, which the next refresh reads from again (an event committed late may
    carry a lower id than one already read)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_event_id = models.BigIntegerField(_("last event read"), default=0)
    previous_event_id = models.BigIntegerField(_("last event read the time before"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup state")


class PatrolDay(models.Model):
    """A platform's patrol verification of one past day (platforms.patrol.platform_coverage), kept once
    the day is over so that a month's briefing does not read every track again."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("platform"))
    day = models.DateField(_("day"))
    points_visited = models.PositiveIntegerField(_("must-patrol points visited"))
    points_due = models.PositiveIntegerField(_("must-patrol points due"))
    routes_covered = models.PositiveIntegerField(_("must-patrol routes covered"))
    routes_due = models.PositiveIntegerField(_("must-patrol routes due"))
    fixes = models.PositiveIntegerField(_("track fixes read"), default=0)

    class Meta:
        verbose_name = _("patrol day")
        verbose_name_plural = _("patrol days")
        constraints = [models.UniqueConstraint(fields=["platform", "day"], name="analysis_patrolday_one_row")]

    def __str__(self):
        return f"{self.platform_id} {self.day}"


class BriefingKind(models.TextChoices):
    DAILY = "daily", _("Daily briefing")
    WEEKLY = "weekly", _("Weekly briefing")
    MONTHLY = "monthly", _("Monthly briefing")
    CUSTOM = "custom", _("Briefing for a range")


class BriefingStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Briefing(models.Model):
    """A briefing (日研判 / 周会商 / 月调度) of the city, a district or a platform over a range of days,
    stored with its figures once made; made on schedule by Celery beat or on demand."""

    kind = models.CharField(_("kind"), max_length=10, choices=BriefingKind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    district = models.ForeignKey("platforms.District", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("district"))
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("platform"))
    status = models.CharField(_("status"), max_length=10, choices=BriefingStatus.choices, default=BriefingStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    scheduled = models.BooleanField(_("made on schedule"), default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-starts_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="analysis_briefing_ends_after_start"),
            models.CheckConstraint(condition=Q(kind__in=BriefingKind.values), name="analysis_briefing_kind_known"),
            models.CheckConstraint(condition=Q(status__in=BriefingStatus.values), name="analysis_briefing_status_known"),
            models.CheckConstraint(condition=Q(district__isnull=True) | Q(platform__isnull=True),
                                   name="analysis_briefing_one_scope"),
            # Beat may fire twice (two beats, a restart): one scheduled briefing per period and scope.
            models.UniqueConstraint(fields=["kind", "starts_on", "district", "platform"], condition=Q(scheduled=True),
                                    nulls_distinct=False, name="analysis_briefing_one_scheduled"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on}"


class HotSpotPatrol(models.Model):
    """A targeted patrol sent to a hot spot (热点巡防): a patrol point at the cell's centre, tasks in the
    platform's patrol plans for the chosen bands and days; judged by the plans' own verification."""

    cell = models.CharField(_("H3 cell"), max_length=16)
    category = models.CharField(_("category"), max_length=30, blank=True)
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("platform"))
    point = models.ForeignKey("grid.PatrolPoint", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("patrol point"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    bands = models.JSONField(_("bands"), default=list)
    tasks = models.ManyToManyField("platforms.PatrolTask", related_name="+", blank=True, verbose_name=_("patrol tasks"))
    found = models.JSONField(_("the hot spot when it was sent"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("hot-spot patrol")
        verbose_name_plural = _("hot-spot patrols")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="analysis_hotspotpatrol_ends_after_start")]

    def __str__(self):
        return f"{self.cell} {self.starts_on}–{self.ends_on}"
