"""`manage.py bench basemap`: tile formats measured on every tile of the active network at a few zooms.

Vector: what `grid.basemap` serves (JSON, tile pixels 0..4096, gzipped) and the same at 0..256.
Raster: the same roads drawn server-side as 256 px PNGs with Pillow — a lower bound on that
option's cost (1x only, no anti-aliasing, one label per road, no label collision test). Pillow is
not a dependency: install it beside the venv to compare, e.g.
`pip install --target /tmp/pil pillow` and run with `PYTHONPATH=/tmp/pil`.
"""
import gzip
import math
import time

import numpy as np
from django.core.management.base import CommandError

from grid import basemap

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
MIN_SAMPLES = 300
WIDTH_PX = {"motorway": 6, "trunk": 6, "primary": 5, "secondary": 4, "tertiary": 3}


def run(*, zooms=(13, 15, 17)) -> dict:
    network = basemap.active_network()
    if network is None:
        raise CommandError("No road network is imported: run `manage.py import_roads` first.")
    sha256, dataset_dir, *bbox = network
    started = time.perf_counter()
    basemap.forget_road_layers()
    layer = basemap.road_layer(sha256, dataset_dir)
    result = {"network": sha256[:12], "index_build_ms": round((time.perf_counter() - started) * 1000, 1)}
    for z in zooms:
        result[f"z{z}"] = _zoom(layer, z, bbox)
    return result


def tiles_covering(bbox, z: int) -> list[tuple[int, int]]:
    min_lon, min_lat, max_lon, max_lat = bbox
    (x0, y1), (x1, y0) = (_tile_of(min_lon, min_lat, z), _tile_of(max_lon, max_lat, z))
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    x, y = basemap.mercator(lon, lat)
    return int(x * 2 ** z), int(y * 2 ** z)


def _zoom(layer, z: int, bbox) -> dict:
    tiles = tiles_covering(bbox, z)
    rounds = -(-MIN_SAMPLES // len(tiles))  # a zoom with few tiles times each several times
    vector_s, bodies = _timed(lambda x, y: basemap.encode(layer.tile(z, x, y)), tiles, rounds)
    stats = {"tiles": len(tiles), "samples": len(vector_s),
             "vector_json_4096": {**_ms(vector_s), **_bytes([len(b) for b in bodies],
                                                            [len(gzip.decompress(b)) for b in bodies])},
             "vector_json_256_gzip_bytes": _bytes([len(basemap.encode(_at_256(layer.tile(z, x, y))))
                                                   for x, y in tiles])}
    if raster := _raster_renderer():
        raster_s, pngs = _timed(lambda x, y: raster(layer.tile(z, x, y), z), tiles, rounds)
        stats["raster_png_256"] = {**_ms(raster_s), **_bytes([len(png) for png in pngs])}
    return stats


def _timed(make, tiles, rounds: int) -> tuple[list[float], list]:
    """Seconds per call over `rounds` passes, and the last pass's outputs."""
    make(*tiles[0])  # the first call pays for lazy set-up, not for the format
    samples, outputs = [], []
    for _ in range(rounds):
        outputs = []
        for x, y in tiles:
            started = time.perf_counter()
            outputs.append(make(x, y))
            samples.append(time.perf_counter() - started)
    return samples, outputs


def _ms(samples_s: list[float]) -> dict:
    values = np.array(samples_s) * 1000
    return {"p50_ms": round(float(np.percentile(values, 50)), 2), "p99_ms": round(float(np.percentile(values, 99)), 2)}


def _bytes(sent: list[int], raw: list[int] | None = None) -> dict:
    out = {"p50_bytes": int(np.percentile(sent, 50)), "p99_bytes": int(np.percentile(sent, 99)),
           "total_kb": sum(sent) // 1024}
    if raw:
        out["uncompressed_p50_bytes"] = int(np.percentile(raw, 50))
    return out


def _at_256(tile: dict) -> dict:
    scale = basemap.EXTENT // 256
    roads = [[h, name, [[round(v / scale) for v in part] for part in parts]] for h, name, parts in tile["roads"]]
    return {"extent": 256, "roads": roads}


def _raster_renderer():
    """A PNG renderer if Pillow is importable, else None (the benchmark then reports vector only)."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        return None
    try:
        font = ImageFont.truetype(FONT, 12)
    except OSError:  # no CJK font (apt fonts-noto-cjk): boxes instead of names, at much the same cost
        font = ImageFont.load_default(size=12)

    def render(tile: dict, z: int) -> bytes:
        import io

        image = Image.new("RGB", (256, 256), "#f2efe9")
        draw = ImageDraw.Draw(image)
        scale = tile["extent"] / 256
        for highway, name, parts in tile["roads"]:
            width = WIDTH_PX.get(basemap.road_class(highway), 2) + max(0, z - 14)
            lines = [[(part[i] / scale, part[i + 1] / scale) for i in range(0, len(part), 2)] for part in parts]
            for line in lines:
                draw.line(line, fill="#ffffff", width=width, joint="curve")
            if name and z >= 15:
                longest = max(lines, key=_length)
                draw.text(longest[len(longest) // 2], name, font=font, fill="#333333", anchor="mm")
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    return render


def _length(line) -> float:
    return sum(math.dist(a, b) for a, b in zip(line, line[1:]))
