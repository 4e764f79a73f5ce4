"""The few bytes of Mapbox Vector Tile decoding we need: the values a layer gives one key.

OSRM's debug tiles carry every road segment's speed; the fastest one bounds every travel time
from below (distance / top speed), which is what makes pruned ETA ranking exact. A full MVT
library would pull protobuf and a clipper in for this one read.
"""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes):
    """(field number, wire type, value) for each field of one protobuf message."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 2:
            size, pos = _varint(data, pos)
            value, pos = data[pos:pos + size], pos + size
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def _value(message: bytes):
    import struct

    for number, _, raw in _fields(message):
        if number == 1:
            return raw.decode()
        if number == 2:
            return struct.unpack("<f", raw)[0]
        if number == 3:
            return struct.unpack("<d", raw)[0]
        if number in (4, 5):
            return raw
        if number == 6:
            return (raw >> 1) ^ -(raw & 1)
        if number == 7:
            return bool(raw)
    return None


def layer_values(tile: bytes, layer_name: str, key: str) -> list:
    """Every value that features of `layer_name` hold for `key`."""
    found = []
    for number, _, layer in _fields(tile):
        if number == 3:
            found += _layer_values(layer, layer_name, key)
    return found


def _layer_values(layer: bytes, layer_name: str, key: str) -> list:
    name, keys, values, features = None, [], [], []
    for number, _, raw in _fields(layer):
        if number == 1:
            name = raw.decode()
        elif number == 2:
            features.append(raw)
        elif number == 3:
            keys.append(raw.decode())
        elif number == 4:
            values.append(_value(raw))
    if name != layer_name or key not in keys:
        return []
    wanted = keys.index(key)
    return [values[v] for feature in features for k, v in _tag_pairs(feature) if k == wanted]


def _tag_pairs(feature: bytes):
    for number, wire, raw in _fields(feature):
        if number == 2 and wire == 2:
            packed, pos = [], 0
            while pos < len(raw):
                item, pos = _varint(raw, pos)
                packed.append(item)
            yield from zip(packed[::2], packed[1::2])
