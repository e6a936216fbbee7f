"""The wire protocol's binary layouts: float32 grids behind a 16-byte header (mirrored, checked by a
test, in static/protocol.js). Part of the protocol: protocol.py re-exports these names."""
import struct

import numpy as np

# -- binary layouts --------------------------------------------------------------------------------
# every binary message starts with this little-endian header, then float32 values
HEADER = struct.Struct("<4sHHIHH")       # magic, layout version, kind, seq, count, resolution
MAPS_MAGIC = b"LSMP"
BINARY_LAYOUTS = {
    "header": {"format": "<4sHHIHH", "bytes": HEADER.size,
               "fields": ["magic", "version", "kind", "seq", "count", "resolution"]},
    "kinds": {
        "maps": {"kind": 1, "version": 1,
                 "body": "float32[count][resolution][resolution] at node_resolution: every node's "
                         "output over the input grid [-6, 6]^2: input features, hidden neurons layer "
                         "by layer, outputs; row r is x2 = -6 + 12 r/(R-1), column c is x1 likewise"},
        "output": {"kind": 3, "version": 1,
                   "body": "float32[count][resolution][resolution] at grid_resolution: the output "
                           "node(s) only, for the decision boundary; same grid orientation as maps"},
        "surface": {"kind": 2, "version": 1,
                    "body": "float32[count][resolution][resolution]: loss-landscape grids"},
        "weight_images": {"kind": 4, "version": 1,
                          "body": "float32[count][resolution][resolution], resolution 28: digits, the first "
                                  "layer's incoming weights, neuron i's weight from pixel (r, c) at [i][r][c]"},
        "samples": {"kind": 5, "version": 1,
                    "body": "uint8[count][resolution][resolution] test images (row r top to bottom, ink "
                            "0-255), then uint8[count] their labels, then uint8[count] the predicted labels"},
    },
    "magic": MAPS_MAGIC.decode(),
}
KIND_MAPS, KIND_SURFACE, KIND_OUTPUT = 1, 2, 3
KIND_WEIGHT_IMAGES, KIND_SAMPLES = 4, 5


def pack_grids(kind: int, seq: int, grids) -> bytes:
    """Header + float32 body for grids (count, R, R)."""
    count, res = grids.shape[0], grids.shape[1]
    body = np.ascontiguousarray(grids, dtype="<f4")
    return b"".join([HEADER.pack(MAPS_MAGIC, 1, kind, seq, count, res), memoryview(body).cast("B")])


def unpack_grids(data: bytes):
    magic, version, kind, seq, count, res = HEADER.unpack_from(data)
    body = np.frombuffer(data, dtype="<f4", offset=HEADER.size).reshape(count, res, res)
    return {"magic": magic, "version": version, "kind": kind, "seq": seq, "count": count,
            "resolution": res}, body




def pack_samples(seq: int, images, labels, predicted) -> bytes:
    """The digits sample grid (kind 5): header, uint8 images (count, R*R), labels, predictions."""
    images = np.ascontiguousarray(images, dtype=np.uint8)
    count, res = images.shape[0], int(round(np.sqrt(images[0].size)))
    return b"".join([HEADER.pack(MAPS_MAGIC, 1, KIND_SAMPLES, seq, count, res), images.tobytes(),
                     np.asarray(labels, np.uint8).tobytes(), np.asarray(predicted, np.uint8).tobytes()])
