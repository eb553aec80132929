import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  GENESIS_HEAD,
  isSha256Hex,
  sha256Hex
} from "./chunk-CJTZJTWV.js";
import {
  canonicalJson
} from "./chunk-PPEQLLQ3.js";

// recording/event-chain.ts
import crypto from "node:crypto";
var RESERVED = ["seq", "ts", "prev", "hash"];
var oneShotHash = crypto.hash;
var sha256Text = typeof oneShotHash === "function" ? (text) => oneShotHash("sha256", text, "hex") : sha256Hex;
function createEventChain(previousHead, previousCount = 0) {
  if (previousHead !== void 0 && !isSha256Hex(previousHead)) {
    throw new TypeError("createEventChain: previousHead must be a lower-case hex sha256");
  }
  let head = previousHead ?? GENESIS_HEAD;
  let seq = previousCount;
  let lastMs = NaN;
  let lastTs = "";
  return {
    append(event, atMs) {
      if (typeof event.type !== "string" || event.type === "")
        throw new TypeError("EventChain: event.type must be a non-empty string");
      for (const key of RESERVED) {
        if (key in event)
          throw new TypeError(`EventChain: event field '${key}' is set by the chain, not the caller`);
      }
      if (!Number.isFinite(atMs)) throw new TypeError("EventChain: atMs must be a finite number");
      if (atMs !== lastMs) {
        lastTs = new Date(atMs).toISOString();
        lastMs = atMs;
      }
      const ts = lastTs;
      const { line, hash } = serialiseLine(event, seq + 1, ts, head);
      seq += 1;
      head = hash;
      return line;
    },
    head: () => head,
    count: () => seq
  };
}
function serialiseLine(event, seq, ts, prev) {
  let before = "";
  let after = "";
  let fast = typeof event.toJSON !== "function";
  if (fast) {
    const keys = Object.keys(event);
    keys.push("seq", "ts", "prev");
    keys.sort();
    try {
      for (const key of keys) {
        const value = key === "seq" ? seq : key === "ts" ? ts : key === "prev" ? prev : event[key];
        const item = canonicalValue(value);
        if (item === void 0) continue;
        const part = `${quoteKey(key)}:${item}`;
        if (key < "hash") before = before === "" ? part : `${before},${part}`;
        else after = after === "" ? part : `${after},${part}`;
      }
    } catch {
      fast = false;
    }
  }
  if (!fast) {
    const body = { ...event, seq, ts, prev };
    const text2 = canonicalJson(body);
    const hash2 = sha256Text(text2);
    return { line: `${canonicalJson({ ...body, hash: hash2 })}
`, hash: hash2 };
  }
  const text = `{${before}${before !== "" && after !== "" ? "," : ""}${after}}`;
  const hash = sha256Text(text);
  const field = `"hash":"${hash}"`;
  return { line: `{${before}${before !== "" ? "," : ""}${field}${after !== "" ? "," : ""}${after}}
`, hash };
}
function canonicalValue(value) {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("not a finite number");
      return JSON.stringify(value);
    case "undefined":
    case "function":
    case "symbol":
      return void 0;
    case "bigint":
      throw new TypeError("a bigint");
    case "object":
      break;
  }
  if (Array.isArray(value)) {
    let out2 = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out2 += ",";
      out2 += canonicalValue(value[i]) ?? "null";
    }
    return `${out2}]`;
  }
  const withToJson = value;
  if (typeof withToJson.toJSON === "function") return canonicalValue(withToJson.toJSON());
  const record = value;
  let out = "";
  for (const key of Object.keys(record).sort()) {
    const item = canonicalValue(record[key]);
    if (item !== void 0) out = `${out}${out === "" ? "" : ","}${quoteKey(key)}:${item}`;
  }
  return `{${out}}`;
}
var quotedKeys = /* @__PURE__ */ new Map();
function quoteKey(key) {
  let quoted = quotedKeys.get(key);
  if (quoted === void 0) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 4096) quotedKeys.set(key, quoted);
  }
  return quoted;
}
function eventHash(event) {
  const { hash: _ignored, ...body } = event;
  return sha256Text(canonicalJson(body));
}
function verifyEventChain(text, expected = {}) {
  const result = {
    ok: false,
    events: [],
    head: expected.startHead ?? GENESIS_HEAD,
    count: 0
  };
  const fail = (line, message, seq) => {
    result.problem = seq === void 0 ? { line, message } : { line, seq, message };
    return result;
  };
  const lines = text.split("\n");
  const last = lines.pop();
  if (last !== "")
    return fail(lines.length + 1, "the last line is not terminated by a newline (the file was truncated)");
  let expectedSeq = (expected.startSeq ?? 0) + 1;
  for (let i = 0; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const parsed = parseEvent(lines[i] ?? "");
    if (typeof parsed === "string") return fail(lineNo, parsed);
    const { seq } = parsed;
    if (eventHash(parsed) !== parsed.hash) {
      return fail(lineNo, `event ${seq} does not match its own hash (the line was edited)`, seq);
    }
    if (seq !== expectedSeq)
      return fail(lineNo, `chain broken: ${describeSeqGap(lines, i, seq, expectedSeq)}`, seq);
    if (parsed.prev !== result.head) {
      const previous = lineNo === 1 ? "the chain start" : `line ${lineNo - 1}'s hash`;
      return fail(
        lineNo,
        `chain broken: prev does not match ${previous} (an event was removed, inserted or reordered)`,
        seq
      );
    }
    result.head = parsed.hash;
    result.count += 1;
    result.events.push(parsed);
    expectedSeq += 1;
  }
  if (expected.count !== void 0 && expected.count !== result.count) {
    return fail(
      lines.length,
      `the log has ${result.count} events but the manifest says ${expected.count} (events were removed from the end or added)`
    );
  }
  if (expected.head !== void 0 && expected.head !== result.head) {
    return fail(
      lines.length,
      `the chain head ${result.head.slice(0, 12)}... does not match the manifest's ${expected.head.slice(0, 12)}... (events were removed from the end or the chain was rewritten)`
    );
  }
  result.ok = true;
  return result;
}
function describeSeqGap(lines, at, seq, expectedSeq) {
  if (seq < expectedSeq)
    return `seq ${seq} appears after seq ${expectedSeq - 1} (events were reordered or duplicated)`;
  for (let j = at + 1; j < lines.length; j += 1) {
    const later = parseEvent(lines[j] ?? "");
    if (typeof later !== "string" && later.seq === expectedSeq) {
      return `seq ${seq} follows seq ${expectedSeq - 1}; event ${expectedSeq} is at line ${j + 1} (events were reordered)`;
    }
  }
  const missing = seq - expectedSeq === 1 ? `event ${expectedSeq} is` : `events ${expectedSeq}-${seq - 1} are`;
  return `seq ${seq} follows seq ${expectedSeq - 1}: ${missing} missing (removed)`;
}
function parseEvent(line) {
  if (line === "") return "empty line (guard never writes one; the file was edited)";
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return "not valid JSON (the line was edited or cut)";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const event = value;
  if (!Number.isInteger(event.seq) || event.seq < 1) return "has no positive integer seq";
  if (typeof event.type !== "string" || typeof event.ts !== "string") return "has no type or ts";
  if (!isSha256Hex(event.prev) || !isSha256Hex(event.hash)) return "has no prev and hash (hex sha256)";
  return event;
}

export {
  createEventChain,
  verifyEventChain
};
