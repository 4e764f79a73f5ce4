"""Where each mobile platform of the demo city may stand (planning.Stand): kerbside spots on main
roads of its own zones and at the edge of its squares, stations and landmarks; on the ground, mid-block.

The rows below were made by `python -m command.demo.stands data/shanghai_center.osm.pbf` from
OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright):
points along primary and secondary roads, never on a bridge, an elevated road or in a tunnel (nor
within 40 m of one, where a snap could land on the deck above), at least 40 m from a junction
(kerbside, not in the crossing), at least 400 m apart: the point nearest each key site of the
platform's that is a square, a station or a landmark, then the point nearest the middle of each of
its zones, then those nearest its must-patrol points. `seed_stands` writes them, found by their codes (re-running is safe)."""
import sys

STANDS_PER_PLATFORM = 8
SPACING_M = 400.0
CLEARANCE_M = 40.0

# (code, platform, name, name_en, kind, lon, lat)
STANDS = [
    ('S0101', 'P01', '上海博物馆广场停靠点', 'Shanghai Museum square stand', 'square', 121.472382, 31.230043),
    ('S0102', 'P01', '上海大剧院广场停靠点', 'Shanghai Grand Theatre square stand', 'square', 121.466122, 31.233298),
    ('S0103', 'P01', '南京西路路边停靠点', 'West Nanjing Road kerbside stand', 'kerbside', 121.454275, 31.231555),
    ('S0104', 'P01', '西藏中路路边停靠点', 'Middle Xizang Road kerbside stand', 'kerbside', 121.471622, 31.233939),
    ('S0105', 'P01', '延安东路路边停靠点', "East Yan'an Road kerbside stand", 'kerbside', 121.46813, 31.227799),
    ('S0201', 'P02', '陈毅广场（外滩）广场停靠点', 'The Bund, Chen Yi Square square stand', 'square', 121.484891, 31.24268),
    ('S0202', 'P02', '南京路步行街广场停靠点', 'Nanjing Rd Pedestrian Street square stand', 'square', 121.475699, 31.236984),
    ('S0203', 'P02', '河南中路路边停靠点', 'Middle Henan Road kerbside stand', 'kerbside', 121.480277, 31.240013),
    ('S0204', 'P02', '四川北路路边停靠点', 'North Sichuan Road kerbside stand', 'kerbside', 121.479358, 31.266041),
    ('S0205', 'P02', '公平路路边停靠点', 'Gongping Road kerbside stand', 'kerbside', 121.495619, 31.261523),
    ('S0206', 'P02', '长阳路路边停靠点', 'Changyang Road kerbside stand', 'kerbside', 121.512888, 31.263317),
    ('S0207', 'P02', '海宁路路边停靠点', 'Haining Road kerbside stand', 'kerbside', 121.479944, 31.251556),
    ('S0208', 'P02', '河南中路路边停靠点2', 'Middle Henan Road kerbside stand 2', 'kerbside', 121.481912, 31.234349),
    ('S0301', 'P03', '新天地广场停靠点', 'Xintiandi square stand', 'square', 121.469253, 31.22487),
    ('S0302', 'P03', '西藏南路路边停靠点', 'South Xizang Road kerbside stand', 'kerbside', 121.481111, 31.215946),
    ('S0303', 'P03', '复兴中路路边停靠点', 'Middle Fuxing Road kerbside stand', 'kerbside', 121.467991, 31.217458),
    ('S0304', 'P03', '徐家汇路路边停靠点', 'Xujiahui Road kerbside stand', 'kerbside', 121.464478, 31.207205),
    ('S0305', 'P03', '西藏南路路边停靠点2', 'South Xizang Road kerbside stand 2', 'kerbside', 121.48595, 31.202441),
    ('S0306', 'P03', '中山南二路路边停靠点', 'South Zhongshan No. 2 Road kerbside stand', 'kerbside', 121.459239, 31.193229),
    ('S0307', 'P03', '复兴中路路边停靠点2', 'Middle Fuxing Road kerbside stand 2', 'kerbside', 121.463794, 31.217225),
    ('S0308', 'P03', '重庆南路路边停靠点', '重庆南路 kerbside stand', 'kerbside', 121.467501, 31.221504),
    ('S0401', 'P04', '静安寺广场停靠点', "Jing'an Temple square stand", 'square', 121.442094, 31.225254),
    ('S0402', 'P04', '陕西南路路边停靠点', 'South Shaanxi Road kerbside stand', 'kerbside', 121.457273, 31.2098),
    ('S0403', 'P04', '淮海中路路边停靠点', 'Middle Huaihai Road kerbside stand', 'kerbside', 121.435872, 31.207464),
    ('S0404', 'P04', '武宁南路路边停靠点', 'South Wuning Road kerbside stand', 'kerbside', 121.428291, 31.232958),
    ('S0405', 'P04', '延安西路路边停靠点', "West Yan'an Road kerbside stand", 'kerbside', 121.437866, 31.221318),
    ('S0406', 'P04', '南京西路路边停靠点', 'West Nanjing Road kerbside stand', 'kerbside', 121.448048, 31.228337),
    ('S0407', 'P04', '瑞金二路路边停靠点', 'Ruijin No. 2 Road kerbside stand', 'kerbside', 121.46106, 31.21439),
    ('S0501', 'P05', '东方明珠广场停靠点', 'Oriental Pearl Tower square stand', 'square', 121.496657, 31.241279),
    ('S0502', 'P05', '上海中心大厦广场停靠点', 'Shanghai Tower square stand', 'square', 121.500931, 31.234708),
    ('S0503', 'P05', '银城中路路边停靠点', 'Middle Yincheng Road kerbside stand', 'kerbside', 121.501271, 31.241674),
    ('S0504', 'P05', '张杨路路边停靠点', 'Zhangyang Road kerbside stand', 'kerbside', 121.508472, 31.228046),
    ('S0505', 'P05', '浦建路路边停靠点', 'Pujian Road kerbside stand', 'kerbside', 121.514046, 31.211769),
    ('S0506', 'P05', '世博大道路边停靠点', 'Shibo Avenue kerbside stand', 'kerbside', 121.494525, 31.194362),
    ('S0507', 'P05', '张杨路路边停靠点2', 'Zhangyang Road kerbside stand 2', 'kerbside', 121.524898, 31.233551),
    ('S0601', 'P06', '河南南路路边停靠点', 'South Henan Road kerbside stand', 'kerbside', 121.483406, 31.228001),
    ('S0602', 'P06', '陆家浜路路边停靠点', 'Lujiabang Road kerbside stand', 'kerbside', 121.496353, 31.212856),
    ('S0603', 'P06', '复兴东路路边停靠点', 'East Fuxing Road kerbside stand', 'kerbside', 121.488794, 31.22407),
    ('S0701', 'P07', '上海火车站广场停靠点', 'Shanghai Railway Station square stand', 'square', 121.452004, 31.247823),
    ('S0702', 'P07', '长寿路路边停靠点', 'Changshou Road kerbside stand', 'kerbside', 121.436274, 31.244925),
    ('S0703', 'P07', '共和新路路边停靠点', 'Gonghexin Road kerbside stand', 'kerbside', 121.454234, 31.268386),
    ('S0704', 'P07', '曲阜路路边停靠点', 'Qufu Road kerbside stand', 'kerbside', 121.469102, 31.244614),
    ('S0705', 'P07', '天目东路路边停靠点', 'East Tianmu Road kerbside stand', 'kerbside', 121.466898, 31.249119),
    ('S0706', 'P07', '中兴路路边停靠点', 'Zhongxing Road kerbside stand', 'kerbside', 121.452385, 31.254362),
    ('S0707', 'P07', '北京东路路边停靠点', 'East Beijing Road kerbside stand', 'kerbside', 121.469762, 31.239866),
]


def seed_stands() -> int:
    """Create the stands missing (by code); returns how many exist for the demo's platforms."""
    from planning.models import Stand
    from platforms.models import Platform

    platforms = {p.code: p for p in Platform.objects.filter(code__in={row[1] for row in STANDS})}
    for code, platform, name, name_en, kind, lon, lat in STANDS:
        if platform in platforms:
            Stand.objects.get_or_create(code=code, defaults={"platform": platforms[platform], "name": name,
                                                             "name_en": name_en, "kind": kind, "lon": lon, "lat": lat})
    return Stand.objects.filter(code__in=[row[0] for row in STANDS]).count()


# --- the generator (run by hand when the extract or the zones change) --------------------------

def _ground_ways(path):
    """Main roads at ground level as [(name, name_en, [(lon, lat)...])], and the elevated or
    underground ways' points to keep clear of."""
    import osmium

    ground, raised = [], []
    for obj in osmium.FileProcessor(str(path)).with_locations():
        if not obj.is_way() or len(obj.nodes) < 2:
            continue
        tags = dict(obj.tags)
        coords = [(n.lon, n.lat) for n in obj.nodes]
        off_ground = tags.get("bridge") not in (None, "no") or tags.get("layer", "0") != "0" or "tunnel" in tags
        if off_ground:
            raised += coords
        elif tags.get("highway") in ("primary", "secondary") and tags.get("name") and not _underground(tags["name"]):
            ground.append((tags["name"], tags.get("name:en", ""), coords))
    return ground, raised


def _underground(name: str) -> bool:
    """Tunnels and elevated roads the extract does not tag as such, known by their names."""
    return any(word in name for word in ("隧道", "地道", "高架"))


def _junctions(path) -> list:
    import osmium

    seen, junctions = {}, set()
    for obj in osmium.FileProcessor(str(path)).with_locations():
        if obj.is_way() and "highway" in dict(obj.tags):
            for node in obj.nodes:
                seen[node.ref] = seen.get(node.ref, 0) + 1
                if seen[node.ref] == 2:
                    junctions.add((node.lon, node.lat))
    return list(junctions)


def _along(coords, step_m: float):
    """Points every `step_m` along a way, its ends left out."""
    from command.demo.geo import to_lonlat, to_metres
    from shapely.geometry import LineString

    line = to_metres(LineString(coords))
    count = int(line.length // step_m)
    return [to_lonlat(line.interpolate(step_m * (k + 0.5))).coords[0] for k in range(count)]


def _clear(spots, obstacles, metres: float) -> list:
    """The spots at least `metres` from every obstacle point."""
    from scipy.spatial import cKDTree

    from command.demo.geo import to_metres
    from shapely.geometry import MultiPoint

    if not obstacles:
        return spots
    tree = cKDTree([p.coords[0] for p in to_metres(MultiPoint(obstacles)).geoms])
    where = [p.coords[0] for p in to_metres(MultiPoint([p for _, p in spots])).geoms]
    distances, _ = tree.query(where)
    return [spot for spot, d in zip(spots, distances) if d >= metres]


def _nearest(spots, lon: float, lat: float, within_m: float):
    from command.demo.geo import distance_m

    best = min(spots, key=lambda s: distance_m(*s[1], lon, lat), default=None)
    return best if best is not None and distance_m(*best[1], lon, lat) <= within_m else None


def _spaced(picked: list, metres: float) -> list:
    """In order, those no closer than `metres` to one kept before."""
    from command.demo.geo import distance_m

    kept = []
    for spot in picked:
        if spot and all(distance_m(*spot[1], *other[1]) >= metres for other in kept):
            kept.append(spot)
    return kept


def build(path) -> list:
    """The squares' stands first (the key sites that are squares, stations or landmarks), then the
    spot nearest the middle of each of the platform's zones, then the spots nearest the platform's
    must-patrol points, at most STANDS_PER_PLATFORM a platform."""
    from shapely.geometry import Point, shape

    from command.demo import city

    ground, raised = _ground_ways(path)
    spots = _clear([((n, e), p) for n, e, coords in ground for p in _along(coords, 100.0)], raised + _junctions(path),
                   CLEARANCE_M)
    rows = []
    for platform in city.PLATFORMS:
        area = [shape(z["polygon"]) for z in city.zones() if z["platform"] == platform["code"]]
        mine = [s for s in spots if any(a.contains(Point(*s[1])) for a in area)]
        squares = [(("@" + site["name"], site["name_en"]), spot[1]) for site in city.KEY_SITES
                   if site["kind"] in ("square", "station", "landmark") and any(a.contains(Point(site["lon"], site["lat"])) for a in area)
                   and (spot := _nearest(mine, site["lon"], site["lat"], 300.0))]
        middles = [_nearest(mine, *a.representative_point().coords[0], 600.0) for a in area]
        posts = [_nearest(mine, p["lon"], p["lat"], 300.0) for p in city.PATROL_POINTS if p["platform"] == platform["code"]]
        rows += _rows(platform["code"], _spaced(squares + middles + posts, SPACING_M)[:STANDS_PER_PLATFORM])
    return rows


def _rows(platform: str, picked: list) -> list:
    rows, seen = [], {}
    for n, ((name, name_en), (lon, lat)) in enumerate(picked, start=1):
        square = name.startswith("@")
        label = name[1:] if square else name
        seen[label] = seen.get(label, 0) + 1
        again = f" {seen[label]}" if seen[label] > 1 else ""
        rows.append((f"S{platform[1:]}{n:02d}", platform, f"{label}{'广场停靠点' if square else '路边停靠点'}{again.strip()}",
                     f"{name_en or label} {'square' if square else 'kerbside'} stand{again}", "square" if square else "kerbside",
                     round(lon, 6), round(lat, 6)))
    return rows


if __name__ == "__main__":
    for row in build(sys.argv[1] if len(sys.argv) > 1 else "data/shanghai_center.osm.pbf"):
        print(f"    {row!r},")
