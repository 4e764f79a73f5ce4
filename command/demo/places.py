"""Hand-curated places of the demo city (central Shanghai), WGS84 (lon, lat).

Positions were derived from the street junctions of the OpenStreetMap extract
(data/shanghai_center.osm.pbf), not from Chinese web maps, which are offset by
~500 m (GCJ-02). Patrol points and platforms are snapped to a road node of the
extract. Map data (c) OpenStreetMap contributors, ODbL 1.0.
"""

DISTRICTS = [
    {"code": "HP", "name": "黄浦分局", "name_en": "Huangpu Branch"},
    {"code": "JA", "name": "静安分局", "name_en": "Jing'an Branch"},
    {"code": "PD", "name": "浦东分局", "name_en": "Pudong Branch"},
]


def _platform(code, name, name_en, district, lon, lat):
    return {"code": code, "name": name, "name_en": name_en, "district": district,
            "lon": lon, "lat": lat, "mobile": True}


# Each platform truck is parked on a road node at its hot spot.
PLATFORMS = [
    _platform("P01", "人民广场移动警务平台", "People's Square", "HP", 121.472096, 31.233262),
    _platform("P02", "外滩南京东路移动警务平台", "The Bund / East Nanjing Rd", "HP", 121.48562, 31.240725),
    _platform("P03", "新天地移动警务平台", "Xintiandi", "HP", 121.469533, 31.223151),
    _platform("P04", "静安寺移动警务平台", "Jing'an Temple", "JA", 121.440605, 31.224504),
    _platform("P05", "陆家嘴移动警务平台", "Lujiazui", "PD", 121.495799, 31.240237),
    _platform("P06", "豫园移动警务平台", "Yu Garden", "HP", 121.488011, 31.231431),
    _platform("P07", "上海火车站移动警务平台", "Shanghai Railway Station", "JA", 121.452705, 31.24925),
]

# Xiangyang's figures (DOMAIN.md): 388 police, 776 auxiliaries (1:2), 261 traffic
# assistants, 1,425 people; the largest platform (People's Square) has 267.
STAFFING = {
    "P01": {"police": 72, "auxiliary": 144, "traffic_assistant": 51,
            "patrol_cars": 14, "motorcycles": 10, "platform_trucks": 1},
    "P02": {"police": 60, "auxiliary": 120, "traffic_assistant": 42,
            "patrol_cars": 12, "motorcycles": 8, "platform_trucks": 1},
    "P03": {"police": 48, "auxiliary": 96, "traffic_assistant": 30,
            "patrol_cars": 9, "motorcycles": 5, "platform_trucks": 1},
    "P04": {"police": 50, "auxiliary": 100, "traffic_assistant": 32,
            "patrol_cars": 10, "motorcycles": 6, "platform_trucks": 1},
    "P05": {"police": 56, "auxiliary": 112, "traffic_assistant": 38,
            "patrol_cars": 12, "motorcycles": 7, "platform_trucks": 1},
    "P06": {"police": 50, "auxiliary": 100, "traffic_assistant": 32,
            "patrol_cars": 8, "motorcycles": 4, "platform_trucks": 1},
    "P07": {"police": 52, "auxiliary": 104, "traffic_assistant": 36,
            "patrol_cars": 11, "motorcycles": 6, "platform_trucks": 1},
}

# Shanghai PSB headquarters, Fuzhou Rd 185 (near Middle Jiangxi Rd).
COMMAND_CENTRE = {"name": "市公安局情指中心", "name_en": "City Intelligence and Command Centre",
                  "lon": 121.482846, "lat": 31.237009}


def _site(code, name, name_en, kind, lon, lat, radius_m=300):
    return {"code": code, "name": name, "name_en": name_en, "kind": kind,
            "lon": lon, "lat": lat, "radius_m": radius_m}


# Key sites (1-minute target). Positions are the site's centre, placed from the
# surrounding junctions in the extract; accurate to roughly 100 m.
KEY_SITES = [
    _site("K01", "人民广场", "People's Square", "square", 121.4696, 31.2316, 300),
    _site("K02", "上海博物馆", "Shanghai Museum", "landmark", 121.4705, 31.2305, 200),
    _site("K03", "上海市人民政府", "Shanghai Municipal Government", "government", 121.4687, 31.2326, 200),
    _site("K04", "陈毅广场（外滩）", "The Bund, Chen Yi Square", "square", 121.4861, 31.2406, 300),
    _site("K05", "上海火车站", "Shanghai Railway Station", "station", 121.4520, 31.2505, 400),
    _site("K06", "瑞金医院", "Ruijin Hospital", "hospital", 121.4617, 31.2152, 250),
    _site("K07", "仁济医院（西院）", "Renji Hospital (West)", "hospital", 121.4808, 31.2355, 150),
    _site("K08", "华山医院", "Huashan Hospital", "hospital", 121.4396, 31.2213, 250),
    _site("K09", "格致中学", "Gezhi Middle School", "school", 121.4741, 31.2337, 150),
    _site("K10", "市西中学", "Shixi Middle School", "school", 121.4355, 31.2244, 150),
    _site("K11", "静安寺", "Jing'an Temple", "landmark", 121.4420, 31.2259, 200),
    _site("K12", "豫园（城隍庙）", "Yu Garden / City God Temple", "landmark", 121.4868, 31.2283, 300),
    _site("K13", "东方明珠", "Oriental Pearl Tower", "landmark", 121.4955, 31.2417, 250),
    _site("K14", "上海中心大厦", "Shanghai Tower", "landmark", 121.5010, 31.2356, 200),
    _site("K15", "新天地", "Xintiandi", "landmark", 121.4700, 31.2227, 250),
    _site("K16", "南京路步行街", "Nanjing Rd Pedestrian Street", "landmark", 121.4738, 31.2374, 400),
    _site("K17", "上海大剧院", "Shanghai Grand Theatre", "landmark", 121.4675, 31.2312, 150),
]


def _pp(code, name, name_en, platform, lon, lat, radius_m=50, dwell_s=300):
    return {"code": code, "name": name, "name_en": name_en, "platform": platform,
            "lon": lon, "lat": lat, "radius_m": radius_m, "dwell_s": dwell_s}


# Must-patrol points (必巡点): choke-point junctions, school and hospital gates,
# station squares; each is the coordinate of a road node of the extract.
PATROL_POINTS = [
    _pp("PP01", "人民大道西藏中路路口", "Renmin Ave / Middle Xizang Rd junction", "P01", 121.472096, 31.233262),
    _pp("PP02", "南京路步行街西口", "Nanjing Rd Pedestrian St, west entrance", "P01", 121.4705, 31.235684),
    _pp("PP03", "格致中学校门", "Gezhi Middle School gate", "P01", 121.47411, 31.233705),
    _pp("PP04", "南京西路黄陂北路路口", "Nanjing Rd W / North Huangpi Rd junction", "P01", 121.465695, 31.233055),
    _pp("PP05", "仁济医院门口", "Renji Hospital entrance", "P01", 121.480104, 31.235591),
    _pp("PP06", "陈毅广场", "Chen Yi Square", "P02", 121.485709, 31.239876),
    _pp("PP07", "南京路步行街东口", "Nanjing Rd Pedestrian St, east entrance", "P02", 121.480616, 31.238578),
    _pp("PP08", "北京东路河南中路路口", "East Beijing Rd / Middle Henan Rd junction", "P02", 121.47921, 31.242395),
    _pp("PP09", "外滩延安东路路口", "The Bund / East Yan'an Rd junction", "P02", 121.487444, 31.235252),
    _pp("PP10", "四川北路海宁路路口", "North Sichuan Rd / Haining Rd junction", "P02", 121.480429, 31.251754),
    _pp("PP11", "人民路河南南路路口", "Renmin Rd / South Henan Rd junction", "P06", 121.482618, 31.230968),
    _pp("PP12", "豫园东门安仁街", "Yu Garden east gate, Anren St", "P06", 121.488139, 31.229832),
    _pp("PP13", "老西门路口", "Laoximen junction", "P06", 121.480398, 31.221198),
    _pp("PP14", "新天地太仓路马当路路口", "Xintiandi, Taicang Rd / Madang Rd", "P03", 121.469533, 31.223151),
    _pp("PP15", "淮海中路黄陂南路路口", "Huaihai Rd M / South Huangpi Rd junction", "P03", 121.469878, 31.225127),
    _pp("PP16", "瑞金医院门口", "Ruijin Hospital entrance", "P03", 121.460824, 31.215191),
    _pp("PP17", "淮海中路陕西南路路口", "Huaihai Rd M / South Shaanxi Rd junction", "P03", 121.454493, 31.218658),
    _pp("PP18", "静安寺路口", "Jing'an Temple junction", "P04", 121.440605, 31.224504),
    _pp("PP19", "华山医院门口", "Huashan Hospital entrance", "P04", 121.438869, 31.220821),
    _pp("PP20", "市西中学校门", "Shixi Middle School gate", "P04", 121.435455, 31.224039),
    _pp("PP21", "南京西路陕西北路路口", "Nanjing Rd W / North Shaanxi Rd junction", "P04", 121.450521, 31.229216),
    _pp("PP22", "上海展览中心延安中路门", "Shanghai Exhibition Centre, Yan'an Rd M gate", "P04", 121.446928, 31.224387),
    _pp("PP23", "上海火车站南广场", "Shanghai Railway Station south square", "P07", 121.452705, 31.24925),
    _pp("PP24", "天目西路恒丰路路口", "West Tianmu Rd / Hengfeng Rd junction", "P07", 121.449178, 31.247671),
    _pp("PP25", "天目东路西藏北路路口", "East Tianmu Rd / North Xizang Rd junction", "P07", 121.466465, 31.248863),
    _pp("PP26", "东方明珠丰和路口", "Oriental Pearl Tower, Fenghe Rd", "P05", 121.495797, 31.240253),
    _pp("PP27", "上海中心银城中路路口", "Shanghai Tower, Middle Yincheng Rd", "P05", 121.499641, 31.236516),
    _pp("PP28", "世纪大道陆家嘴环路路口", "Century Ave / Lujiazui Ring Rd junction", "P05", 121.504775, 31.237258),
    _pp("PP29", "浦东南路张杨路路口", "South Pudong Rd / Zhangyang Rd junction", "P05", 121.512197, 31.22924),
    _pp("PP30", "东方路张杨路路口", "Dongfang Rd / Zhangyang Rd junction", "P05", 121.52057, 31.231891),
    # Fixed posts of the key sites (重点部位固定岗), held all shift by the patrol plan
    # (platforms.patrol.key_site_posts). With a 30 s turnout a parked crew makes 60 s only where it is
    # ~30 s by road from the caller, and central Shanghai's one-way streets make that a few hundred
    # metres at best; so each site has the posts that reach most of it: road nodes of the extract
    # chosen by a greedy maximal-coverage search (Church & ReVelle 1974) over calls drawn inside the
    # sites as the simulator draws them, at most each platform's cars on a shift less three (who keep
    # the routes and zones). The platform is the one owning the zone the post stands in.
    _pp("PP31", "人民广场固定岗1", "People's Square, fixed post 1", "P01", 121.470464, 31.229253),
    _pp("PP32", "人民广场固定岗2", "People's Square, fixed post 2", "P01", 121.472342, 31.232671),
    _pp("PP33", "上海博物馆固定岗1", "Shanghai Museum, fixed post 1", "P01", 121.468524, 31.23108),
    _pp("PP34", "上海市人民政府固定岗1", "Shanghai Municipal Government, fixed post 1", "P01", 121.471162, 31.232685),
    _pp("PP35", "陈毅广场（外滩）固定岗1", "The Bund, Chen Yi Square, fixed post 1", "P02", 121.485792, 31.242772),
    _pp("PP36", "陈毅广场（外滩）固定岗2", "The Bund, Chen Yi Square, fixed post 2", "P02", 121.485894, 31.239029),
    _pp("PP37", "陈毅广场（外滩）固定岗3", "The Bund, Chen Yi Square, fixed post 3", "P02", 121.485991, 31.238358),
    _pp("PP38", "上海火车站固定岗1", "Shanghai Railway Station, fixed post 1", "P07", 121.448127, 31.251046),
    _pp("PP39", "上海火车站固定岗2", "Shanghai Railway Station, fixed post 2", "P07", 121.452721, 31.253093),
    _pp("PP40", "上海火车站固定岗3", "Shanghai Railway Station, fixed post 3", "P07", 121.454357, 31.252347),
    _pp("PP41", "瑞金医院固定岗1", "Ruijin Hospital, fixed post 1", "P04", 121.461502, 31.21309),
    _pp("PP42", "瑞金医院固定岗2", "Ruijin Hospital, fixed post 2", "P03", 121.463513, 31.216316),
    _pp("PP43", "仁济医院（西院）固定岗1", "Renji Hospital (West), fixed post 1", "P02", 121.481176, 31.234718),
    _pp("PP44", "仁济医院（西院）固定岗2", "Renji Hospital (West), fixed post 2", "P02", 121.481348, 31.236046),
    _pp("PP45", "仁济医院（西院）固定岗3", "Renji Hospital (West), fixed post 3", "P02", 121.48159, 31.235693),
    _pp("PP46", "华山医院固定岗1", "Huashan Hospital, fixed post 1", "P04", 121.441336, 31.221978),
    _pp("PP47", "格致中学固定岗1", "Gezhi Middle School, fixed post 1", "P01", 121.473746, 31.232836),
    _pp("PP48", "静安寺固定岗1", "Jing'an Temple, fixed post 1", "P04", 121.441477, 31.226612),
    _pp("PP49", "静安寺固定岗2", "Jing'an Temple, fixed post 2", "P04", 121.442091, 31.225252),
    _pp("PP50", "豫园（城隍庙）固定岗1", "Yu Garden / City God Temple, fixed post 1", "P06", 121.484879, 31.22888),
    _pp("PP51", "豫园（城隍庙）固定岗2", "Yu Garden / City God Temple, fixed post 2", "P06", 121.486066, 31.230183),
    _pp("PP52", "豫园（城隍庙）固定岗3", "Yu Garden / City God Temple, fixed post 3", "P06", 121.487798, 31.227246),
    _pp("PP53", "豫园（城隍庙）固定岗4", "Yu Garden / City God Temple, fixed post 4", "P06", 121.487822, 31.226476),
    _pp("PP54", "东方明珠固定岗1", "Oriental Pearl Tower, fixed post 1", "P05", 121.494238, 31.240715),
    _pp("PP55", "东方明珠固定岗2", "Oriental Pearl Tower, fixed post 2", "P05", 121.495006, 31.243738),
    _pp("PP56", "东方明珠固定岗3", "Oriental Pearl Tower, fixed post 3", "P05", 121.497746, 31.242192),
    _pp("PP57", "上海中心大厦固定岗1", "Shanghai Tower, fixed post 1", "P05", 121.499914, 31.234366),
    _pp("PP58", "上海中心大厦固定岗2", "Shanghai Tower, fixed post 2", "P05", 121.502061, 31.23635),
    _pp("PP59", "新天地固定岗1", "Xintiandi, fixed post 1", "P03", 121.46981, 31.221662),
    _pp("PP60", "新天地固定岗2", "Xintiandi, fixed post 2", "P03", 121.471458, 31.22264),
    _pp("PP61", "南京路步行街固定岗1", "Nanjing Rd Pedestrian Street, fixed post 1", "P07", 121.470651, 31.238954),
    _pp("PP62", "南京路步行街固定岗2", "Nanjing Rd Pedestrian Street, fixed post 2", "P07", 121.473077, 31.240684),
    _pp("PP63", "南京路步行街固定岗3", "Nanjing Rd Pedestrian Street, fixed post 3", "P02", 121.473894, 31.236458),
    _pp("PP64", "上海大剧院固定岗1", "Shanghai Grand Theatre, fixed post 1", "P01", 121.467019, 31.230188),
]

# Zone seeds: one named neighbourhood per grid patrol zone (Voronoi seeds). Pudong
# seeds are the ones east/south of the Huangpu. A seed within CITY_CENTRE_RADIUS_M
# of People's Square, or named in CITY_CENTRE_EXTRA, gets the 3-minute class.
ZONE_SEEDS = [
    ("人民广场", "People's Square", 121.4696, 31.2316),
    ("南京东路", "East Nanjing Rd", 121.4790, 31.2390),
    ("豫园", "Yu Garden", 121.4868, 31.2283),
    ("董家渡", "Dongjiadu", 121.4950, 31.2170),
    ("老西门", "Laoximen", 121.4800, 31.2190),
    ("新天地", "Xintiandi", 121.4690, 31.2210),
    ("打浦桥", "Dapuqiao", 121.4650, 31.2060),
    ("淮海中路", "Middle Huaihai Rd", 121.4550, 31.2170),
    ("半淞园", "Bansongyuan", 121.4850, 31.2030),
    ("日晖港", "Rihui Port", 121.4620, 31.1920),
    ("静安寺", "Jing'an Temple", 121.4420, 31.2259),
    ("南京西路", "West Nanjing Rd", 121.4560, 31.2300),
    ("衡山路", "Hengshan Rd", 121.4380, 31.2100),
    ("曹家渡", "Caojiadu", 121.4250, 31.2300),
    ("长寿路", "Changshou Rd", 121.4400, 31.2420),
    ("上海火车站", "Shanghai Railway Station", 121.4540, 31.2500),
    ("中山北路", "North Zhongshan Rd", 121.4560, 31.2680),
    ("天目东路", "East Tianmu Rd", 121.4700, 31.2460),
    ("四川北路", "North Sichuan Rd", 121.4820, 31.2600),
    ("北外滩", "North Bund", 121.4950, 31.2540),
    ("提篮桥", "Tilanqiao", 121.5120, 31.2600),
    ("陆家嘴", "Lujiazui", 121.5000, 31.2380),
    ("东昌路", "Dongchang Rd", 121.5100, 31.2280),
    ("塘桥", "Tangqiao", 121.5200, 31.2150),
    ("世博", "Expo", 121.4950, 31.1880),
    ("潍坊", "Weifang", 121.5250, 31.2320),
    ("洋泾", "Yangjing", 121.5300, 31.2450),
]
CITY_CENTRE_RADIUS_M = 2300
CITY_CENTRE_EXTRA = {"陆家嘴", "静安寺"}  # Jing'an Temple: a core commercial district, beyond the radius

# Centreline of the Huangpu River, traced by hand from the gap in the extract's
# road network (accurate to ~100 m). Zones never straddle the river because
# crossing it takes a tunnel or a bridge, which breaks the response-time target.
HUANGPU_CENTRELINE = [
    (121.444, 31.175), (121.45, 31.1788), (121.4649, 31.1873), (121.4798, 31.1916),
    (121.4897, 31.1954), (121.4966, 31.2013), (121.5036, 31.2094), (121.506, 31.2149),
    (121.5063, 31.2187), (121.5026, 31.2276), (121.4961, 31.2327), (121.4897, 31.2374),
    (121.4889, 31.242), (121.4902, 31.2454), (121.4966, 31.2484), (121.5056, 31.2492),
    (121.5145, 31.2496), (121.5294, 31.2539), (121.5492, 31.2615), (121.5591, 31.2658),
    (121.569, 31.27),
]

# Must-patrol lines (必巡线): street name in the extract, owning platform, and the
# end the 1-4 km line starts from (the platform's end of a long street).
PATROL_ROUTE_STREETS = [
    ("PR01", "南京西路", "West Nanjing Rd", "P04"),
    ("PR02", "延安东路", "East Yan'an Rd", "P01"),
    ("PR03", "中山东一路", "Zhongshan Rd E-1 (The Bund)", "P02"),
    ("PR04", "西藏中路", "Middle Xizang Rd", "P01"),
    ("PR05", "淮海中路", "Middle Huaihai Rd", "P03"),
    ("PR06", "陆家嘴环路", "Lujiazui Ring Rd", "P05"),
    ("PR07", "世纪大道", "Century Avenue", "P05"),
    ("PR08", "北京东路", "East Beijing Rd", "P02"),
    ("PR09", "河南中路", "Middle Henan Rd", "P02"),
    ("PR10", "四川北路", "North Sichuan Rd", "P07"),
    ("PR11", "中华路", "Zhonghua Rd (old city ring)", "P06"),
    ("PR12", "恒丰路", "Hengfeng Rd", "P07"),
    ("PR13", "河南南路", "South Henan Rd", "P06"),
    ("PR14", "浦东南路", "South Pudong Rd", "P05"),
]
