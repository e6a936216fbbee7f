// The wire, as the page sees it. Mirrors server/protocol.py (a test checks they agree).
export const PROTOCOL_VERSION = 1;
export const CLIENT_TYPES = ["set_config", "play", "pause", "step", "reset", "regenerate",
  "set_weight", "set_speed", "set_view", "ack", "set_landscape", "explore", "restore", "read_pad",
  "predict_next", "set_samples", "infer", "start_sweep", "cancel_sweep", "upload", "use_csv", "download"];
export const SERVER_TYPES = ["hello", "config", "dataset", "frame", "status", "error", "landscape",
  "exploration", "pad", "sample", "next_char", "inference", "sweep", "upload_progress", "csv_table", "csv_data", "file"];

// Every message the page sends is built here: a type the server does not define is a bug, caught
// on the spot rather than refused by the server later.
export function message(type, fields = {}) {
  if (!CLIENT_TYPES.includes(type)) throw new Error(`protocol.js: "${type}" is not a client message type`);
  return { type, ...fields };
}

// The page speaks exactly one protocol version: a server speaking another gets no messages from it.
export const compatible = (hello) => hello && hello.protocol_version === PROTOCOL_VERSION;

// binary messages: little-endian header "<4sHHIHH" then float32 values
export const HEADER_BYTES = 16;
export const MAGIC = "LSMP";
export const KIND_MAPS = 1;
export const KIND_SURFACE = 2;
export const KIND_OUTPUT = 3;

export function parseBinary(buffer) {
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== MAGIC) throw new Error(`binary message: bad magic ${magic}`);
  const header = {
    version: view.getUint16(4, true),
    kind: view.getUint16(6, true),
    seq: view.getUint32(8, true),
    count: view.getUint16(12, true),
    resolution: view.getUint16(14, true),
  };
  const n = header.count * header.resolution * header.resolution;
  return { ...header, data: new Float32Array(buffer, HEADER_BYTES, n) };
}

// digits (server/binary.py): kind 4 the first layer's weights as float32 images (parseBinary reads
// them), kind 5 the sample grid: uint8 images, then uint8 labels, then uint8 predictions
export const KIND_WEIGHT_IMAGES = 4;
export const KIND_SAMPLES = 5;

export function parseSamples(buffer) {
  const view = new DataView(buffer);
  const count = view.getUint16(12, true), resolution = view.getUint16(14, true);
  const n = count * resolution * resolution;
  return { kind: view.getUint16(6, true), seq: view.getUint32(8, true), count, resolution,
    images: new Uint8Array(buffer, HEADER_BYTES, n),
    labels: new Uint8Array(buffer, HEADER_BYTES + n, count),
    predicted: new Uint8Array(buffer, HEADER_BYTES + n + count, count) };
}
