"""Named points of the demo city (and one of Helsinki) the tests route between, with what is known of
them on the demo extract's roads."""
from pathlib import Path

PEOPLES_SQUARE = (121.4737, 31.2304)
LUJIAZUI = (121.5030, 31.2380)           # 180.1 s to the Bund by road (199.7 s back), 1,209 m in a straight line
BUND = (121.4905, 31.2400)
PUDONG_RIVERSIDE = (121.4990, 31.2420)   # 838 m from the Bund across the river: 120.1 s by road
NANJING_EAST = (121.4840, 31.2380)       # 657 m from the Bund in a straight line: 503.9 s by road
FAR_WEST = (121.4300, 31.2200)
IN_THE_RIVER = (121.492, 31.236)         # the Huangpu, 245 m from the nearest road
FAR_EAST = (121.9, 31.23)                # ~40 km east of the extract

HELSINKI = Path(__file__).resolve().parent / "data" / "helsinki.osm.pbf"
