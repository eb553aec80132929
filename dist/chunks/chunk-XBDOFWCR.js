import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  GENESIS_HEAD,
  canonicalJson,
  isSha256Hex,
  sha256Hex
} from "./chunk-4VNBM3A5.js";

// recording/event-chain.ts
var RESERVED = ["seq", "ts", "prev", "hash"];
function createEventChain(previousHead, previousCount = 0) {
  if (previousHead !== void 0 && !isSha256Hex(previousHead)) {
    throw new TypeError("createEventChain: previousHead must be a lower-case hex sha256");
  }
  let head = previousHead ?? GENESIS_HEAD;
  let seq = previousCount;
  return {
    append(event, atMs) {
      if (typeof event.type !== "string" || event.type === "")
        throw new TypeError("EventChain: event.type must be a non-empty string");
      for (const key of RESERVED) {
        if (key in event)
          throw new TypeError(`EventChain: event field '${key}' is set by the chain, not the caller`);
      }
      if (!Number.isFinite(atMs)) throw new TypeError("EventChain: atMs must be a finite number");
      const body = { ...event, seq: seq + 1, ts: new Date(atMs).toISOString(), prev: head };
      const text = canonicalJson(body);
      const hash = sha256Hex(text);
      seq += 1;
      head = hash;
      return `${withHashField(text, body, hash)}
`;
    },
    head: () => head,
    count: () => seq
  };
}
function withHashField(text, body, hash) {
  const field = `"hash":${JSON.stringify(hash)}`;
  const keys = Object.keys(body).filter(
    (key) => body[key] !== void 0 && typeof body[key] !== "function" && typeof body[key] !== "symbol"
  ).sort();
  const next = keys.find((key) => key > "hash");
  if (next === void 0) return `${text.slice(0, -1)}${keys.length > 0 ? "," : ""}${field}}`;
  const marker = `${JSON.stringify(next)}:`;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      if (depth === 1 && text.startsWith(marker, i)) return `${text.slice(0, i)}${field},${text.slice(i)}`;
      inString = true;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
  }
  return canonicalJson({ ...body, hash });
}
function eventHash(event) {
  const { hash: _ignored, ...body } = event;
  return sha256Hex(canonicalJson(body));
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
