"""Every assumption the simulator makes about calls and crews, in one place.

The accounts (DOMAIN.md, ../shared/seeds/) give staffing, targets and results, but no call volumes
by hour or category shares, so the figures below are chosen, and each says from what. Change them
here and every run (headless, live, the what-if page) follows.
"""
from dispatch.models import Category, Priority

# --- how many calls ----------------------------------------------------------------------------
# Baicheng's merged force (310 street officers) took 1,765 calls in its first two months: about 29
# a day, 0.094 per street officer. At the demo city's 1,425 people that is ~134 a day; central
# Shanghai is denser and busier than Baicheng, so twice that is taken as a working day.
CALLS_PER_DAY = 260.0

# Share of the day's calls in each hour (local time, 00-23): night trough, a morning rise, the
# evening peak of disputes and traffic; the usual shape of urban 110/911 hourly curves (the accounts
# give none). Normalised below, so only the proportions matter.
HOURLY_WEIGHT = [
    2.2, 1.6, 1.2, 0.9, 0.8, 0.9, 1.6, 3.0, 4.6, 5.0, 5.2, 5.4,
    5.0, 4.8, 5.0, 5.2, 5.6, 6.2, 6.4, 6.0, 5.4, 4.6, 3.6, 2.8,
]

# --- where ---------------------------------------------------------------------------------------
# A call falls inside a key site's radius (schools, squares, hospitals, stations: 60 s target) with
# this probability; else in a zone chosen by area, city-centre zones weighted as denser.
KEY_SITE_SHARE = 0.10
CITY_CENTRE_DENSITY = 2.5   # calls per km2 in a city-centre zone, relative to an "other" zone

# --- what --------------------------------------------------------------------------------------
# Category shares: traffic work folded into the street force (Baicheng, Xiangyang) makes accidents
# and congestion about two fifths of the calls; disputes, public order and crime the next largest
# (the Meixian and Baicheng results are reported in those categories); a mass event is rare.
CATEGORY_SHARE = {
    Category.TRAFFIC_ACCIDENT: 0.28,
    Category.TRAFFIC_CONGESTION: 0.10,
    Category.DISPUTE: 0.20,
    Category.PUBLIC_ORDER: 0.12,
    Category.CRIMINAL: 0.10,
    Category.RESCUE: 0.10,
    Category.MASS_EVENT: 0.005,
    Category.OTHER: 0.095,
}

# Priority shares per category (P1 emergency ... P4 non-urgent).
PRIORITY_SHARE = {
    Category.CRIMINAL: {Priority.P1: 0.30, Priority.P2: 0.50, Priority.P3: 0.20},
    Category.MASS_EVENT: {Priority.P1: 0.60, Priority.P2: 0.40},
    Category.RESCUE: {Priority.P1: 0.25, Priority.P2: 0.50, Priority.P3: 0.25},
    Category.TRAFFIC_ACCIDENT: {Priority.P2: 0.40, Priority.P3: 0.60},
    Category.TRAFFIC_CONGESTION: {Priority.P3: 0.70, Priority.P4: 0.30},
    Category.DISPUTE: {Priority.P2: 0.30, Priority.P3: 0.60, Priority.P4: 0.10},
    Category.PUBLIC_ORDER: {Priority.P2: 0.30, Priority.P3: 0.50, Priority.P4: 0.20},
    Category.OTHER: {Priority.P3: 0.40, Priority.P4: 0.60},
}

# Mean minutes on scene (gamma distributed, coefficient of variation ON_SCENE_CV). Xiangyang's
# service targets: congestion cleared within 5 minutes, minor accidents handled within 10.
ON_SCENE_MIN = {
    Category.TRAFFIC_ACCIDENT: 12, Category.TRAFFIC_CONGESTION: 8, Category.DISPUTE: 20,
    Category.PUBLIC_ORDER: 15, Category.CRIMINAL: 40, Category.RESCUE: 25, Category.MASS_EVENT: 60,
    Category.OTHER: 10,
}
ON_SCENE_CV = 0.5
ON_SCENE_MIN_S = 120.0

# --- crews between calls (高峰站点、平峰巡线、低峰下片) ---------------------------------------------
# Peak hours: parked at a fixed post (the platform, its must-patrol points, its zones' centres,
# spread round the crews). Off-peak: drive from post to post, dwelling at each.
PEAK_HOURS = ((7, 9), (17, 19))
PATROL_DWELL_S = 900.0

# Crews follow their shift's seeded patrol plan (platforms.patrol, DAY_BANDS): a post is held, parked,
# for the band; a must-patrol route is driven end to end and back, stopping briefly at waypoints about
# ROUTE_WAYPOINT_M apart; a zone (community patrol) is visited at up to ZONE_STOPS road points spread
# over it, PATROL_DWELL_S at each (out of the car, among the residents). A crew back from a call goes
# back to its band's task (a post's crew to its post).
ROUTE_WAYPOINT_M = 500.0
ROUTE_STOP_S = 120.0
ZONE_STOPS = 5
POST_STOP_S = 60.0
