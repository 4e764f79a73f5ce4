"""Deployment planning's rows: where each mobile platform may stand, the plans made per band and
their scheduled moves, live move-up suggestions and the coverage they were made against."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.models import Located, lon_lat_constraints
from platforms.models import District, Platform, PlatformMove, Unit


class StandKind(models.TextChoices):
    KERBSIDE = "kerbside", _("Kerbside on a main road")
    SQUARE = "square", _("Square or plaza")


class Stand(Located):
    """A place a mobile platform's truck may park and work from (允许停靠点): a kerbside spot on a
    main road or the edge of a square, on the ground (never inside a building or on an elevated
    road). Only a platform's own stands are candidates when its band's placement is planned."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="stands", verbose_name=_("platform"))
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=StandKind.choices, default=StandKind.KERBSIDE)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("platform stand")
        verbose_name_plural = _("platform stands")
        ordering = ["platform__code", "code"]
        constraints = [
            *lon_lat_constraints(),
            models.CheckConstraint(condition=Q(kind__in=StandKind.values), name="planning_stand_kind_known"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready for review")
    FAILED = "failed", _("Failed")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Superseded")


class DeploymentPlan(models.Model):
    """One band's deployment (布警) for a district or the city: where each platform stands, which
    posts are held and which routes and areas the other crews patrol, with the coverage it gives
    beside today's placement. Made by a Celery task; accepted by a supervisor, who is recorded."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("district"))
    platforms = models.ManyToManyField(Platform, related_name="+", verbose_name=_("platforms"))
    starts_at = models.DateTimeField(_("band starts"))
    ends_at = models.DateTimeField(_("band ends"))
    mode = models.CharField(_("band mode"), max_length=20)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    # what the plan was made on: the approved roster periods' versions and the crews per platform
    rosters = models.JSONField(_("roster versions"), default=dict, blank=True)
    staffing = models.JSONField(_("crews per platform"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    accepted_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("deployment plan")
        verbose_name_plural = _("deployment plans")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="planning_plan_ends_after_start"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="planning_plan_status_known"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="planning_plan_progress_range"),
            models.CheckConstraint(condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                                   name="planning_plan_accepted_has_time"),
        ]

    def __str__(self):
        return f"#{self.pk} {timezone.localtime(self.starts_at):%m-%d %H:%M}–{timezone.localtime(self.ends_at):%H:%M}"


class MoveStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class PlannedMove(models.Model):
    """A platform's move an accepted plan scheduled for its band's start: a timer row, swept by
    Celery beat, which moves the platform through `platforms.services.platform_move`."""

    plan = models.ForeignKey(DeploymentPlan, on_delete=models.CASCADE, related_name="moves", verbose_name=_("plan"))
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+", verbose_name=_("platform"))
    stand = models.ForeignKey(Stand, on_delete=models.PROTECT, related_name="+", verbose_name=_("stand"))
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=20, choices=MoveStatus.choices, default=MoveStatus.SCHEDULED)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    move = models.ForeignKey(PlatformMove, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("platform move"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("planned platform move")
        verbose_name_plural = _("planned platform moves")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="planning_move_due")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "platform"], name="planning_move_one_per_platform"),
            models.CheckConstraint(condition=Q(status__in=MoveStatus.values), name="planning_move_status_known"),
        ]

    def __str__(self):
        return f"{self.platform} → {self.stand} @ {timezone.localtime(self.due_at):%m-%d %H:%M}"


class MoveUpStatus(models.TextChoices):
    OPEN = "open", _("Suggested")
    ORDERED = "ordered", _("Ordered")
    ARRIVED = "arrived", _("Arrived")
    MISSED = "missed", _("Not carried out")
    DROPPED = "dropped", _("No longer needed")


class MoveUp(models.Model):
    """A move-up (动态补位): an idle unit sent to stand somewhere else while others are on jobs,
    because from there the free units together reach more of the demand within target. Suggested by
    the periodic task, ordered by a dispatcher, carried out (or not) by the crew: each step kept."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="move_ups", verbose_name=_("unit"))
    made_at = models.DateTimeField(_("suggested at"), default=timezone.now)
    from_lon = models.FloatField(_("from longitude"))
    from_lat = models.FloatField(_("from latitude"))
    to_lon = models.FloatField(_("to longitude"))
    to_lat = models.FloatField(_("to latitude"))
    to_label = models.CharField(_("destination"), max_length=120)
    drive_s = models.FloatField(_("drive (s)"))
    gain = models.FloatField(_("expected coverage gained"))
    coverage_before = models.FloatField(_("expected coverage before"))
    coverage_after = models.FloatField(_("expected coverage after"))
    status = models.CharField(_("status"), max_length=20, choices=MoveUpStatus.choices, default=MoveUpStatus.OPEN)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("ordered by"))
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    due_by = models.DateTimeField(_("due by"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("move-up")
        verbose_name_plural = _("move-ups")
        ordering = ["-made_at", "-id"]
        indexes = [models.Index(fields=["status", "made_at"], name="planning_moveup_status")]
        constraints = [
            *lon_lat_constraints("from_"), *lon_lat_constraints("to_"),
            models.CheckConstraint(condition=Q(status__in=MoveUpStatus.values), name="planning_moveup_status_known"),
            models.CheckConstraint(condition=Q(ordered_at__isnull=True) | ~Q(status="open"),
                                   name="planning_moveup_open_not_ordered"),
            # one suggestion or order in hand per unit
            models.UniqueConstraint(fields=["unit"], condition=Q(status__in=("open", "ordered")),
                                    name="planning_moveup_one_live_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit} → {self.to_label} ({self.get_status_display()})"


class CoverageSample(models.Model):
    """The city's expected coverage by the free units at one moment, as the move-up task saw it:
    the record of coverage over time, beside the moves suggested and ordered."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    expected = models.FloatField(_("expected share within target"))
    by_class = models.JSONField(_("by response class"), default=dict)
    uncovered = models.FloatField(_("share out of every free unit's reach"))
    free_units = models.PositiveIntegerField(_("free units"))
    suggested = models.PositiveIntegerField(_("moves suggested"), default=0)

    class Meta:
        verbose_name = _("coverage sample")
        verbose_name_plural = _("coverage samples")
        ordering = ["-at"]

    def __str__(self):
        return f"{timezone.localtime(self.at):%m-%d %H:%M:%S} {self.expected:.3f}"
