"""The position intake's Redis script (platforms.positions.fixes_accept), kept apart from the Python
that feeds it.

KEYS: GEO set, stats hash, track stream, state hash, suspect hash.
ARGV: unit key prefix, state TTL (s), track max length, units per GEOADD, the fastest believable
speed (m/s), the slack of a jump (m), the credential that sent the batch, the fixes packed as
'unit,at_ms,lon,lat,speed,bearing,accuracy,battery;' each (one argument, not eight per fix: packing
thousands of arguments cost more than the script), then reason/count pairs refused before the script,
counted in the same call.

A fix is compared with the unit's last accepted one: not newer, it is a duplicate or late; farther
than the slack plus the fastest speed times the time between them, it is an implausible jump (a
spoof or a GPS fault): not trusted (no state, no GEO position, no track), the unit flagged in the
suspect hash until a believable fix follows.
"""

ACCEPT_LUA = """
local prefix, ttl, maxlen, chunk = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local maxspeed, slack, credential = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local outcomes, latest, order = {}, {}, {}
local accepted, duplicates, late, jumps = 0, 0, 0, 0
local function metres(lon1, lat1, lon2, lat2)
  local r = math.pi / 180
  local a = math.sin((lat2 - lat1) * r / 2) ^ 2
            + math.cos(lat1 * r) * math.cos(lat2 * r) * math.sin((lon2 - lon1) * r / 2) ^ 2
  return 12742000 * math.asin(math.min(1, math.sqrt(a)))
end
local pattern = '([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^;]*);'
for unit, at, lon, lat, speed, bearing, accuracy, battery in string.gmatch(ARGV[8], pattern) do
  local ukey = prefix .. unit
  local state = redis.call('HMGET', ukey, 'at', 'lon', 'lat', 'suspect')
  local last, now = tonumber(state[1]), tonumber(at)
  if last and now <= last then
    if now == last then outcomes[#outcomes + 1] = 'D'; duplicates = duplicates + 1
    else outcomes[#outcomes + 1] = 'O'; late = late + 1 end
  elseif last and metres(tonumber(state[2]), tonumber(state[3]), tonumber(lon), tonumber(lat))
                  > slack + maxspeed * (now - last) / 1000 then
    redis.call('HSET', ukey, 'suspect', '1')
    redis.call('HSET', KEYS[5], unit, lon .. ',' .. lat .. ',' .. at)
    outcomes[#outcomes + 1] = 'J'; jumps = jumps + 1
  else
    redis.call('HSET', ukey, 'lon', lon, 'lat', lat, 'at', at, 'speed', speed, 'bearing', bearing,
               'accuracy', accuracy, 'battery', battery)
    redis.call('EXPIRE', ukey, ttl)
    if state[4] then redis.call('HDEL', ukey, 'suspect'); redis.call('HDEL', KEYS[5], unit) end
    -- The dispatch engine reads thousands of units per call: one HMGET of this hash, not one per unit.
    redis.call('HSET', KEYS[4], unit, lon .. ',' .. lat .. ',' .. at .. ',' .. speed)
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', maxlen, '*', 'u', unit, 't', at, 'x', lon, 'y', lat,
               's', speed, 'b', bearing, 'a', accuracy, 'c', credential)
    if not latest[unit] then order[#order + 1] = unit end
    latest[unit] = {lon, lat}
    outcomes[#outcomes + 1] = 'A'; accepted = accepted + 1
  end
end
local geo = {}
for j, unit in ipairs(order) do
  geo[#geo + 1] = latest[unit][1]; geo[#geo + 1] = latest[unit][2]; geo[#geo + 1] = unit
  if #geo >= 3 * chunk or j == #order then redis.call('GEOADD', KEYS[1], unpack(geo)); geo = {} end
end
if accepted > 0 then redis.call('HINCRBY', KEYS[2], 'accepted', accepted) end
if duplicates > 0 then redis.call('HINCRBY', KEYS[2], 'duplicate', duplicates) end
if late > 0 then redis.call('HINCRBY', KEYS[2], 'out_of_order', late) end
if jumps > 0 then redis.call('HINCRBY', KEYS[2], 'implausible_jump', jumps) end
for p = 9, #ARGV, 2 do redis.call('HINCRBY', KEYS[2], ARGV[p], ARGV[p + 1]) end
return table.concat(outcomes)
"""
