// The offline basemap: our own road tiles (grid/basemap.py) drawn on canvases by a Leaflet GridLayer,
// so the console shows named streets with no internet. A tile is JSON: {extent, roads: [[class, name,
// [[x0, y0, x1, y1, ...], ...]], ...]} in tile pixels 0..extent, minor roads first (drawing order).
// A plain ES module with no build step. Leaflet (the global L) is a classic script the page loads
// first; it is read when a function runs, never at import.

const TILE = 256;

// [fill, casing, width in px at zoom 16] per road class, after OSM's standard style, toned down so
// that incidents and zones drawn over the map stay the loudest things on it.
const STYLE = {
  motorway: ["#e892a2", "#c24e6b", 8],
  trunk: ["#f9b29c", "#c84e2f", 8],
  primary: ["#fcd6a4", "#a06b00", 7],
  secondary: ["#f7fabf", "#8f9a28", 6],
  tertiary: ["#ffffff", "#9a9a9a", 5],
  unclassified: ["#ffffff", "#b5b5b5", 4],
  residential: ["#ffffff", "#b5b5b5", 4],
  living_street: ["#f2f2f2", "#c4c4c4", 3.5],
  service: ["#ffffff", "#c4c4c4", 2.5],
};
// The first zoom at which a class's names are written: main roads first, side streets close up.
const LABEL_ZOOM = { motorway: 13, trunk: 13, primary: 13, secondary: 14, tertiary: 15 };
const SIDE_STREET_LABEL_ZOOM = 16;
const FONT_FAMILY = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif';
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

const roadClass = (highway) => highway.replace(/_link$/, "");
const styleOf = (highway) => STYLE[roadClass(highway)] || STYLE.service;

// Widths grow by √2 a zoom level: thin lines for the whole city, real streets close up.
function widthAt(highway, zoom) {
  const width = styleOf(highway)[2] * Math.pow(2, (zoom - 16) / 2) * (highway.endsWith("_link") ? 0.7 : 1);
  return Math.max(width, 0.8);
}

function tracePath(ctx, lines, scale) {
  ctx.beginPath();
  for (const line of lines) {
    ctx.moveTo(line[0] * scale, line[1] * scale);
    for (let i = 2; i < line.length; i += 2) ctx.lineTo(line[i] * scale, line[i + 1] * scale);
  }
}

// Every casing first, then every fill: crossing streets then join instead of cutting each other.
function drawRoads(ctx, roads, zoom, scale) {
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  for (const casing of [true, false]) {
    for (const [highway, , lines] of roads) {
      const [fill, edge] = styleOf(highway);
      const width = widthAt(highway, zoom);
      ctx.strokeStyle = casing ? edge : fill;
      ctx.lineWidth = casing ? width + (zoom >= 15 ? 2 : 1) : width;
      if (!casing && width < 1.5) continue;  // a hairline is all casing
      tracePath(ctx, lines, scale);
      ctx.stroke();
    }
  }
}

// --- labels ------------------------------------------------------------------------------------

function toPoints(line, scale) {
  const points = [];
  for (let i = 0; i < line.length; i += 2) points.push([line[i] * scale, line[i + 1] * scale]);
  return points;
}

function pathLength(points) {
  let length = 0;
  for (let i = 1; i < points.length; i++) {
    length += Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
  }
  return length;
}

// The longest stretch of the road in this tile, read left to right, or top to bottom when steep.
function labelPath(lines, scale) {
  let best = null;
  let bestLength = 0;
  for (const line of lines) {
    const points = toPoints(line, scale);
    const length = pathLength(points);
    if (length > bestLength) [best, bestLength] = [points, length];
  }
  if (!best) return null;
  const [first, last] = [best[0], best[best.length - 1]];
  const dx = last[0] - first[0];
  const dy = last[1] - first[1];
  if (Math.abs(dy) > Math.abs(dx) ? dy < 0 : dx < 0) best.reverse();
  return { points: best, length: bestLength };
}

// Where the path is `distance` along it, and its direction there.
function pointAlong(points, distance) {
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1];
    const [bx, by] = points[i];
    const step = Math.hypot(bx - ax, by - ay);
    if (distance <= step || i === points.length - 1) {
      const t = step ? Math.min(distance / step, 1) : 0;
      return { x: ax + (bx - ax) * t, y: ay + (by - ay) * t, angle: Math.atan2(by - ay, bx - ax) };
    }
    distance -= step;
  }
  return null;
}

// Glyph by glyph along the road: Chinese characters stand upright, spaced so their boxes never
// touch however the road turns (as Chinese street maps write them); other letters follow the road.
function layoutLabel(ctx, name, path, size) {
  const middle = pointAlong(path.points, path.length / 2);
  const slant = 1 / Math.max(Math.abs(Math.cos(middle.angle)), Math.abs(Math.sin(middle.angle)));
  const glyphs = [...name].map((char) => {
    const width = ctx.measureText(char).width;
    const upright = CJK.test(char);
    return { char, width, upright, step: upright ? Math.max(width, size) * slant : width };
  });
  const total = glyphs.reduce((sum, glyph) => sum + glyph.step, 0);
  if (total > path.length - size) return null;
  let distance = (path.length - total) / 2;
  for (const glyph of glyphs) {
    const at = pointAlong(path.points, distance + glyph.step / 2);
    const half = Math.max(glyph.width, size) / 2;
    Object.assign(glyph, { x: at.x, y: at.y, angle: glyph.upright ? 0 : at.angle,
                           box: [at.x - half, at.y - half, at.x + half, at.y + half] });
    distance += glyph.step;
  }
  return crowded(glyphs) ? null : glyphs;
}

// Upright characters on a tight bend would sit on one another: such a stretch gets no name.
function crowded(glyphs) {
  return glyphs.some((glyph, i) => i > 0 && glyph.upright && glyphs[i - 1].upright
    && overlaps(shrink(glyph.box, 1), shrink(glyphs[i - 1].box, 1)));
}

const shrink = ([x0, y0, x1, y1], by) => [x0 + by, y0 + by, x1 - by, y1 - by];
const grow = (box, by) => shrink(box, -by);
const inside = ([x0, y0, x1, y1]) => x0 >= 0 && y0 >= 0 && x1 <= TILE && y1 <= TILE;
const overlaps = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

function drawGlyphs(ctx, glyphs) {
  for (const pass of ["halo", "text"]) {
    for (const glyph of glyphs) {
      ctx.save();
      ctx.translate(glyph.x, glyph.y);
      ctx.rotate(glyph.angle);
      if (pass === "halo") ctx.strokeText(glyph.char, 0, 0);
      else ctx.fillText(glyph.char, 0, 0);
      ctx.restore();
    }
  }
}

function labelZoom(highway) {
  return LABEL_ZOOM[roadClass(highway)] ?? SIDE_STREET_LABEL_ZOOM;
}

// Major roads claim their place first; a name that would touch one already written is left out.
function drawLabels(ctx, roads, zoom, scale) {
  const size = zoom >= 17 ? 13 : 12;
  Object.assign(ctx, { font: `${size}px ${FONT_FAMILY}`, textAlign: "center", textBaseline: "middle",
                       fillStyle: "#333", strokeStyle: "rgba(255, 255, 255, 0.9)", lineWidth: 3 });
  const taken = [];
  for (const [highway, name, lines] of [...roads].reverse()) {
    if (!name || zoom < labelZoom(highway)) continue;
    const path = labelPath(lines, scale);
    const glyphs = path && layoutLabel(ctx, name, path, size);
    const boxes = glyphs ? glyphs.map((glyph) => grow(glyph.box, 2)) : [];  // a little air between names
    if (!glyphs || !boxes.every((box) => inside(box) && !taken.some((other) => overlaps(box, other)))) continue;
    drawGlyphs(ctx, glyphs);
    taken.push(...boxes);
  }
}

export function drawTile(canvas, tile, zoom) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = canvas.height = TILE * ratio;
  const ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  const scale = TILE / tile.extent;
  drawRoads(ctx, tile.roads, zoom, scale);
  drawLabels(ctx, tile.roads, zoom, scale);
}

// --- the layer ---------------------------------------------------------------------------------

let RoadTiles = null;  // the Leaflet class, made on first use from ROAD_TILES

const ROAD_TILES = {
  createTile(coords, done) {
    const canvas = document.createElement("canvas");
    canvas.className = "basemap-tile";
    const request = new AbortController();
    canvas.abandon = () => request.abort();
    fetch(L.Util.template(this.options.url, coords), { credentials: "same-origin", signal: request.signal })
      .then((response) => {
        if (!response.ok) throw new Error(`basemap tile ${coords.z}/${coords.x}/${coords.y}: HTTP ${response.status}`);
        return response.json();
      })
      .then((tile) => {
        drawTile(canvas, tile, coords.z);
        canvas.dataset.roads = String(tile.roads.length);
        done(null, canvas);
      })
      .catch((error) => done(error, canvas));
    return canvas;
  },
};

// `config` is what the console's selector sends: {url, min_zoom, max_zoom, bounds, attribution}.
export function roadBasemap(config) {
  const [minLon, minLat, maxLon, maxLat] = config.bounds;
  RoadTiles ??= L.GridLayer.extend(ROAD_TILES);
  const layer = new RoadTiles({
    url: config.url,
    attribution: config.attribution,
    minNativeZoom: config.min_zoom,
    maxNativeZoom: config.max_zoom,
    maxZoom: config.max_zoom + 1,
    bounds: L.latLngBounds([minLat, minLon], [maxLat, maxLon]).pad(0.05),
    className: "road-basemap",
  });
  // A quick zoom or pan leaves tiles behind before they arrive: stop fetching what no one will see.
  layer.on("tileunload", ({ tile }) => tile.abandon?.());
  return layer;
}
