"""Space: the served area, zones with their response class, key sites, must-patrol points and lines.

Geometry is GeoJSON (lon, lat) in JSON columns, validated with shapely in `clean()`; points are
plain lon/lat columns whose range CHECK also rejects NaN (PostgreSQL orders NaN above every number).
"""
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from grid import geometry


def lon_lat_constraints(prefix: str = "") -> list[models.CheckConstraint]:
    lon, lat = f"{prefix}lon", f"{prefix}lat"
    return [
        models.CheckConstraint(condition=models.Q(**{f"{lon}__gte": -180, f"{lon}__lte": 180}),
                               name=f"%(app_label)s_%(class)s_{lon}_range"),
        models.CheckConstraint(condition=models.Q(**{f"{lat}__gte": -90, f"{lat}__lte": 90}),
                               name=f"%(app_label)s_%(class)s_{lat}_range"),
    ]


class Located(models.Model):
    """A point on the map, checked finite, in range and inside the served area."""

    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))

    class Meta:
        abstract = True
        constraints = lon_lat_constraints()

    def clean(self):
        super().clean()
        check_point_served(self.lon, self.lat, field="lon")


def check_point_served(lon, lat, *, field: str = "location") -> tuple[float, float]:
    """The point as floats, or a ValidationError on `field` saying what is wrong with it."""
    from grid.selectors import served_area_contains

    try:
        lon, lat = geometry.parse_lon_lat(lon, lat)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if not served_area_contains(lon, lat):
        raise ValidationError({field: _("The point (%(lon).6f, %(lat).6f) is outside the served area.") % {"lon": lon, "lat": lat}})
    return lon, lat


class ResponseClass(models.TextChoices):
    CITY_CENTRE = "city_centre", _("City centre (3 minutes)")
    OTHER = "other", _("Other areas (5 minutes)")


class ServedArea(models.Model):
    """The one area the command centre serves; points outside it are refused."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    name = models.CharField(_("name"), max_length=100)
    polygon = models.JSONField(_("outline (GeoJSON)"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("served area")
        verbose_name_plural = _("served area")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="grid_servedarea_single_row")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        try:
            geometry.parse_polygon(self.polygon)
        except ValidationError as error:
            raise ValidationError({"polygon": error.messages}) from None


class Zone(models.Model):
    """A grid patrol zone (网格巡区), owned by one platform, with its response class."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="zones", verbose_name=_("owning platform"))
    response_class = models.CharField(_("response class"), max_length=20, choices=ResponseClass.choices,
                                      default=ResponseClass.OTHER)
    polygon = models.JSONField(_("polygon (GeoJSON)"))
    min_cover_units = models.PositiveSmallIntegerField(_("minimum units left on cover"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def target_s(self) -> int:
        if self.response_class == ResponseClass.CITY_CENTRE:
            return settings.RESPONSE_TARGET_CITY_CENTRE_S
        return settings.RESPONSE_TARGET_OTHER_S

    def clean(self):
        super().clean()
        try:
            shape = geometry.parse_polygon(self.polygon)
        except ValidationError as error:
            raise ValidationError({"polygon": error.messages}) from None
        from grid.selectors import served_area_covers

        if not served_area_covers(shape):
            raise ValidationError({"polygon": _("The zone reaches outside the served area.")})


class KeySiteKind(models.TextChoices):
    SQUARE = "square", _("Square")
    STATION = "station", _("Station")
    HOSPITAL = "hospital", _("Hospital")
    SCHOOL = "school", _("School")
    GOVERNMENT = "government", _("Government building")
    LANDMARK = "landmark", _("Landmark")
    OTHER = "other", _("Other")


class KeySite(Located):
    """A key site (重点部位): a call within its radius or polygon has the 1-minute target."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=KeySiteKind.choices, default=KeySiteKind.OTHER)
    radius_m = models.PositiveIntegerField(_("radius (m)"), default=300)
    polygon = models.JSONField(_("polygon (GeoJSON)"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("key site")
        verbose_name_plural = _("key sites")
        ordering = ["code"]
        constraints = [
            *lon_lat_constraints(),
            models.CheckConstraint(condition=models.Q(radius_m__gte=10, radius_m__lte=5000),
                                   name="grid_keysite_radius_range"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def target_s(self) -> int:
        return settings.RESPONSE_TARGET_KEY_SITE_S

    def clean(self):
        super().clean()
        if self.polygon is not None:
            try:
                geometry.parse_polygon(self.polygon)
            except ValidationError as error:
                raise ValidationError({"polygon": error.messages}) from None


class PatrolPoint(Located):
    """A must-patrol point (必巡点): every shift has to visit it and stay a while."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="patrol_points", verbose_name=_("platform"))
    radius_m = models.PositiveIntegerField(_("visit radius (m)"), default=50)
    dwell_s = models.PositiveIntegerField(_("dwell time (s)"), default=300)

    class Meta:
        verbose_name = _("must-patrol point")
        verbose_name_plural = _("must-patrol points")
        ordering = ["code"]
        constraints = [
            *lon_lat_constraints(),
            models.CheckConstraint(condition=models.Q(radius_m__gte=5, radius_m__lte=1000),
                                   name="grid_patrolpoint_radius_range"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class PatrolRoute(models.Model):
    """A must-patrol line (必巡线) along real streets, covered when travelled within its corridor."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="patrol_routes", verbose_name=_("platform"))
    line = models.JSONField(_("line (GeoJSON LineString)"))
    corridor_m = models.PositiveIntegerField(_("corridor half-width (m)"), default=50)
    length_m = models.FloatField(_("length (m)"), editable=False, default=0)

    class Meta:
        verbose_name = _("must-patrol route")
        verbose_name_plural = _("must-patrol routes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(corridor_m__gte=5, corridor_m__lte=500),
                                   name="grid_patrolroute_corridor_range"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        super().clean()
        try:
            line = geometry.parse_line(self.line)
        except ValidationError as error:
            raise ValidationError({"line": error.messages}) from None
        from grid.selectors import served_area_covers

        if not served_area_covers(line):
            raise ValidationError({"line": _("The route leaves the served area.")})
        self.length_m = round(geometry.line_length_m(line), 1)


class RoutingAlgorithm(models.TextChoices):
    CH = "CH", _("Contraction hierarchies")
    MLD = "MLD", _("Multi-level Dijkstra")


class RoadNetwork(models.Model):
    """An imported OSM extract and the OSRM datasets built from it; one is active at a time."""

    name = models.CharField(_("name"), max_length=200)
    sha256 = models.CharField(_("file SHA-256"), max_length=64, unique=True)
    dataset_dir = models.CharField(_("dataset folder"), max_length=500)
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    outline = models.JSONField(_("served-area outline (GeoJSON)"))
    nodes = models.PositiveIntegerField(_("nodes"))
    ways = models.PositiveIntegerField(_("ways"))
    roads = models.PositiveIntegerField(_("drivable roads"))
    named_roads = models.PositiveIntegerField(_("named roads"))
    road_km = models.FloatField(_("drivable length (km)"))
    profiles = models.JSONField(_("profiles built"), default=list)
    algorithm = models.CharField(_("routing algorithm"), max_length=3, choices=RoutingAlgorithm.choices)
    max_speed_kmh = models.FloatField(_("fastest road (km/h)"))
    build_s = models.FloatField(_("build time (s)"))
    measurements = models.JSONField(_("measurements"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=False)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("road network")
        verbose_name_plural = _("road networks")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="grid_roadnetwork_one_active"),
            models.CheckConstraint(condition=models.Q(max_speed_kmh__gt=0), name="grid_roadnetwork_speed_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.sha256[:10]})"


class CongestionBand(models.Model):
    """Travel times in a zone (or everywhere) are multiplied by `factor` during a daily time band."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="congestion_bands",
                             verbose_name=_("zone (empty: the whole city)"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    factor = models.FloatField(_("travel-time factor"))
    weekdays_only = models.BooleanField(_("weekdays only"), default=False)

    class Meta:
        verbose_name = _("congestion band")
        verbose_name_plural = _("congestion bands")
        ordering = ["zone__code", "starts"]
        constraints = [
            # Congestion only slows traffic: a factor below 1 would break the ETA lower bound.
            models.CheckConstraint(condition=models.Q(factor__gte=1.0, factor__lte=5.0), name="grid_congestion_factor_range"),
            models.CheckConstraint(condition=~models.Q(starts=models.F("ends")), name="grid_congestion_band_not_empty"),
        ]

    def __str__(self):
        return f"{self.zone or '*'} {self.starts:%H:%M}-{self.ends:%H:%M} ×{self.factor}"

    def covers(self, moment) -> bool:
        """Whether a local datetime falls in the band; a band may run past midnight."""
        if self.weekdays_only and moment.weekday() >= 5:
            return False
        now = moment.time()
        if self.starts < self.ends:
            return self.starts <= now < self.ends
        return now >= self.starts or now < self.ends


class PlaceKind(models.TextChoices):
    STREET = "street", _("Street")
    JUNCTION = "junction", _("Junction")
    ADDRESS = "address", _("House number")
    KEY_SITE = "key_site", _("Key site")
    PATROL_POINT = "patrol_point", _("Must-patrol point")
    ZONE = "zone", _("Zone")
    STATION = "station", _("Station")
    METRO_EXIT = "metro_exit", _("Metro exit")
    BUS_STOP = "bus_stop", _("Bus stop")
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital")
    SHOP = "shop", _("Shop")
    AMENITY = "amenity", _("Amenity")
    BUILDING = "building", _("Building")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    LANDMARK = "landmark", _("Landmark")


class Place(models.Model):
    """A name a caller may give for a point (the gazetteer): built from the road network's extract at
    import (`network` set), or one of the grid's own key sites, must-patrol points and zones (`network`
    empty, kept in step by grid.places.sync_sites). `key`, `pinyin` and `initials` are what a search
    compares (grid.place_names), each with a trigram index (pg_trgm) for typos."""

    network = models.ForeignKey(RoadNetwork, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="places", verbose_name=_("road network"))
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("search key"), max_length=200)
    pinyin = models.CharField(_("pinyin"), max_length=800)
    initials = models.CharField(_("pinyin initials"), max_length=200)
    street = models.CharField(_("street"), max_length=200, blank=True)
    cross_street = models.CharField(_("cross street"), max_length=200, blank=True)
    number = models.PositiveIntegerField(_("house number"), null=True, blank=True)
    weight = models.FloatField(_("weight"), default=0, help_text=_("A street's length in metres: longer ranks first."))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    source = models.CharField(_("source"), max_length=40, blank=True, help_text=_("n123 / w45 / r6 (OSM), key_site:7, ..."))

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        ordering = ["kind", "name"]
        constraints = lon_lat_constraints()
        indexes = [
            models.Index(fields=["lat", "lon"], name="grid_place_lat_lon"),
            GinIndex(OpClass("key", name="gin_trgm_ops"), name="grid_place_key_trgm"),
            GinIndex(OpClass("pinyin", name="gin_trgm_ops"), name="grid_place_pinyin_trgm"),
            GinIndex(OpClass("initials", name="gin_trgm_ops"), name="grid_place_initials_trgm"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"
