import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  MANIFEST_FILE
} from "./chunk-A5XFMG5Z.js";
import {
  CAST_CHAIN_PREFIX
} from "./chunk-DOSGDTZ2.js";
import {
  GENESIS_HEAD,
  chainLink,
  isSha256Hex
} from "./chunk-CJTZJTWV.js";
import {
  GuardError
} from "./chunk-I2IPMUGB.js";

// recording/cast-verify.ts
var KNOWN_CODES = /* @__PURE__ */ new Set(["o", "i", "m", "r", "x"]);
function verifyCast(text, expected) {
  const result = {
    ok: false,
    events: [],
    head: GENESIS_HEAD,
    count: 0,
    durationSeconds: 0,
    markers: []
  };
  const fail = (line, message, event) => {
    result.problem = event === void 0 ? { line, message } : { line, event, message };
    return result;
  };
  if (text.length === 0) return fail(1, "the file is empty (no asciicast header)");
  const lines = text.split("\n");
  const last = lines.pop();
  if (last !== "")
    return fail(lines.length + 1, "the last line is not terminated by a newline (the file was truncated)");
  let micros = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const line = lines[i] ?? "";
    if (line.startsWith("#")) {
      return fail(
        lineNo,
        `unexpected comment line: every comment must be the #chain line after a recorded line`
      );
    }
    const index = result.count;
    const shape = index === 0 ? checkHeader(line) : checkEvent(line);
    if (typeof shape === "string") return fail(lineNo, shape, index);
    const comment = lines[i + 1];
    const chain = comment === void 0 ? void 0 : parseChainComment(comment);
    if (chain === void 0) {
      return fail(
        lineNo + 1,
        `the #chain line for line ${lineNo} is missing (a line was inserted, or the file was cut)`,
        index
      );
    }
    if (chain.index !== index) {
      return fail(lineNo, `chain broken: ${describeIndexGap(lines, i + 1, chain.index, index)}`, chain.index);
    }
    const head = chainLink(result.head, line);
    if (head !== chain.head) {
      return fail(lineNo, `chain broken: the line does not match its chain digest (it was edited)`, index);
    }
    result.head = head;
    result.count += 1;
    if (typeof shape === "object" && "version" in shape) {
      result.header = shape;
    } else if (Array.isArray(shape)) {
      const [interval, code, data] = shape;
      micros += Math.round(interval * 1e6);
      result.events.push({ time: micros / 1e6, code, data });
      if (code === "m") result.markers.push(data);
      if (code === "x") result.exitStatus = Number(data);
    }
    i += 1;
  }
  result.durationSeconds = micros / 1e6;
  if (expected?.count !== void 0 && expected.count !== result.count) {
    return fail(
      lines.length,
      `the recording has ${result.count} lines but the manifest says ${expected.count} (lines were removed from the end or added)`
    );
  }
  if (expected?.head !== void 0 && expected.head !== result.head) {
    return fail(
      lines.length,
      `the chain head ${short(result.head)} does not match the manifest's ${short(expected.head)} (the end of the recording was removed or the whole chain rewritten)`
    );
  }
  result.ok = true;
  return result;
}
function checkHeader(line) {
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return "the header is not valid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return "the header is not a JSON object";
  const header = value;
  if (header.version !== 3) return `the header says version ${JSON.stringify(header.version)}, not 3`;
  const term = header.term;
  if (typeof term !== "object" || term === null || !isSize(term.cols) || !isSize(term.rows)) {
    return "the header has no term.cols and term.rows (positive integers)";
  }
  if (header.timestamp !== void 0 && !(Number.isInteger(header.timestamp) && header.timestamp >= 0)) {
    return "the header timestamp is not a non-negative integer";
  }
  return header;
}
function checkEvent(line) {
  if (!line.startsWith("[")) return 'an event line must be a JSON array starting with "["';
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return "the event line is not valid JSON";
  }
  if (!Array.isArray(value) || value.length !== 3)
    return "an event must be a 3-element array [interval, code, data]";
  const [interval, code, data] = value;
  if (typeof interval !== "number" || !Number.isFinite(interval) || interval < 0) {
    return "the event interval is not a non-negative number of seconds";
  }
  if (typeof code !== "string" || !KNOWN_CODES.has(code)) return `unknown event code ${JSON.stringify(code)}`;
  if (typeof data !== "string") return "the event data is not a string";
  if (code === "r" && !/^[1-9]\d*x[1-9]\d*$/.test(data))
    return `resize data ${JSON.stringify(data)} is not COLSxROWS`;
  if (code === "x" && !/^-?\d+$/.test(data))
    return `exit data ${JSON.stringify(data)} is not an integer status`;
  return [interval, code, data];
}
function parseChainComment(line) {
  if (!line.startsWith(CAST_CHAIN_PREFIX)) return void 0;
  const [index, head, extra] = line.slice(CAST_CHAIN_PREFIX.length).split(" ");
  if (extra !== void 0 || index === void 0 || !/^\d+$/.test(index) || !isSha256Hex(head))
    return void 0;
  return { index: Number(index), head };
}
function isSize(value) {
  return Number.isInteger(value) && value > 0;
}
function describeIndexGap(lines, at, found, expected) {
  if (found < expected) {
    return `recorded line ${found} appears after recorded line ${expected - 1} (lines were reordered or duplicated)`;
  }
  for (let j = at + 2; j < lines.length; j += 2) {
    if (parseChainComment(lines[j] ?? "")?.index === expected) {
      return `recorded line ${found} follows recorded line ${expected - 1}; recorded line ${expected} is at line ${j} (lines were reordered)`;
    }
  }
  const missing = found - expected === 1 ? `recorded line ${expected} is` : `recorded lines ${expected}-${found - 1} are`;
  return `recorded line ${found} follows recorded line ${expected - 1}: ${missing} missing (removed)`;
}
function short(hex) {
  return `${hex.slice(0, 12)}...`;
}

// audit/zip-reader.ts
import { crc32, inflateRawSync } from "node:zlib";
var EOCD = 101010256;
var ZIP64_EOCD_LOCATOR = 117853008;
var ZIP64_EOCD = 101075792;
var CENTRAL = 33639248;
var LOCAL = 67324752;
var MAX_FILE_BYTES = 2 ** 31 - 1;
function readZip(zip, label = "zip") {
  const bad = (why) => new GuardError("BAD_INPUT", `guard: ${label} is not a readable zip: ${why}`);
  const eocd = findEocd(zip);
  if (eocd < 0) throw bad("no end-of-central-directory record");
  let count = zip.readUInt16LE(eocd + 10);
  let cdOffset = zip.readUInt32LE(eocd + 16);
  if ((count === 65535 || cdOffset === 4294967295) && eocd >= 20 && zip.readUInt32LE(eocd - 20) === ZIP64_EOCD_LOCATOR) {
    const z64 = Number(zip.readBigUInt64LE(eocd - 12));
    if (z64 + 56 > zip.length || zip.readUInt32LE(z64) !== ZIP64_EOCD) throw bad("broken zip64 record");
    count = Number(zip.readBigUInt64LE(z64 + 32));
    cdOffset = Number(zip.readBigUInt64LE(z64 + 48));
  }
  const files = /* @__PURE__ */ new Map();
  let p = cdOffset;
  for (let i = 0; i < count; i += 1) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL)
      throw bad(`central directory entry ${i + 1} is broken`);
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    let compressed = zip.readUInt32LE(p + 20);
    let size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    let local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString(flags & 2048 ? "utf8" : "latin1");
    const extra = zip.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    ({ size, compressed, local } = zip64Sizes(extra, size, compressed, local));
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;
    if (flags & 1) throw bad(`${name} is encrypted`);
    if (name.startsWith("/") || name.includes("\\") || name.split("/").includes(".."))
      throw bad(`unsafe path ${JSON.stringify(name)}`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL)
      throw bad(`${name}: local header is broken`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    if (raw.length !== compressed) throw bad(`${name} is cut short`);
    if (size > MAX_FILE_BYTES) throw bad(`${name} would inflate to ${size} bytes`);
    let data;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (error) {
        throw new GuardError("BAD_INPUT", `guard: ${label}: ${name} does not inflate`, { cause: error });
      }
    } else throw bad(`${name} uses compression method ${method} (only stored and deflate are read)`);
    if (data.length !== size || crc32(data) !== crc) throw bad(`${name} fails its CRC-32 or size check`);
    if (files.has(name)) throw bad(`${name} appears twice`);
    files.set(name, data);
  }
  return files;
}
function findEocd(zip) {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i -= 1) {
    if (zip.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}
function zip64Sizes(extra, size, compressed, local) {
  let q = 0;
  while (q + 4 <= extra.length) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 1) {
      let r = q + 4;
      const next = () => {
        const v = Number(extra.readBigUInt64LE(r));
        r += 8;
        return v;
      };
      if (size === 4294967295) size = next();
      if (compressed === 4294967295) compressed = next();
      if (local === 4294967295) local = next();
      break;
    }
    q += 4 + len;
  }
  return { size, compressed, local };
}

// audit/bundle-files.ts
import { readFile, readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
async function listFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/")).sort();
}
async function loadBundle(path) {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new GuardError("NOT_FOUND", `guard: no bundle at ${path}: give a bundle folder or its zip`, {
      cause: error
    });
  }
  const files = /* @__PURE__ */ new Map();
  if (info.isDirectory()) {
    for (const name of await listFiles(path)) files.set(name, await readFile(join(path, name)));
  } else {
    for (const [name, bytes] of readZip(await readFile(path), path)) files.set(name, bytes);
  }
  return rootAtManifest(files);
}
function rootAtManifest(files) {
  if (files.has(MANIFEST_FILE)) return files;
  const manifests = [...files.keys()].filter((p) => p.endsWith(`/${MANIFEST_FILE}`));
  if (manifests.length !== 1) return files;
  const prefix = manifests[0].slice(0, -MANIFEST_FILE.length);
  const rooted = /* @__PURE__ */ new Map();
  for (const [name, bytes] of files)
    rooted.set(name.startsWith(prefix) ? name.slice(prefix.length) : name, bytes);
  return rooted;
}

export {
  verifyCast,
  readZip,
  listFiles,
  loadBundle
};
