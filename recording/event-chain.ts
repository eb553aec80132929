// events.jsonl: one JSON event a line, each carrying seq, ts, the previous line's hash and its own hash
// (sha256 of the canonical JSON of the line without `hash`), so an edited, removed, inserted or reordered
// event is found and named. Pure.

import crypto from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_HEAD, isSha256Hex, sha256Hex } from './sha256.js';

/** e.g. step.start, step.end, approval.requested, approval.decided, sql.statement, mask.counts, recording.gap */
export interface GuardEvent {
  type: string;
  [k: string]: unknown;
}

export interface ChainedEvent extends GuardEvent {
  seq: number;
  ts: string;
  prev: string;
  hash: string;
}

export interface EventChain {
  /** Returns the JSON line to append, ending in '\n'. */
  append(event: GuardEvent, atMs: number): string;
  head(): string;
  count(): number;
}

const RESERVED = ['seq', 'ts', 'prev', 'hash'] as const;

/**
 * sha256 hex of a string as UTF-8. The one-shot crypto.hash (Node 20.12+, 21.7+) skips the Hash object
 * createHash builds per call, which shows on the proxies' hot path; older runtimes take sha256Hex.
 */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Text: (text: string) => string =
  typeof oneShotHash === 'function' ? (text) => oneShotHash('sha256', text, 'hex') : sha256Hex;

/** `previousHead` continues a chain (e.g. after a restart); seq then continues from `previousCount`. */
export function createEventChain(previousHead?: string, previousCount = 0): EventChain {
  if (previousHead !== undefined && !isSha256Hex(previousHead)) {
    throw new TypeError('createEventChain: previousHead must be a lower-case hex sha256');
  }
  let head = previousHead ?? GENESIS_HEAD;
  let seq = previousCount;
  // Events of one batch mostly share their millisecond.
  let lastMs = NaN;
  let lastTs = '';
  return {
    append(event, atMs) {
      if (typeof event.type !== 'string' || event.type === '')
        throw new TypeError('EventChain: event.type must be a non-empty string');
      for (const key of RESERVED) {
        if (key in event)
          throw new TypeError(`EventChain: event field '${key}' is set by the chain, not the caller`);
      }
      if (!Number.isFinite(atMs)) throw new TypeError('EventChain: atMs must be a finite number');
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
    count: () => seq,
  };
}

/**
 * The line (the canonical JSON of the event with seq, ts, prev and `hash` at its sorted place) and its
 * hash (over the same text without `hash`), from one serialisation of the event's fields and without copying the
 * event: the recorder sits on the proxies' hot path, where a copy and a second serialisation cost more
 * than the hash. Equal to canonicalJson byte for byte (event-chain-line.test.ts checks it on random
 * events); anything unusual (a top-level toJSON, a value canonicalJson refuses) takes canonicalJson
 * itself, which also gives its error messages.
 */
function serialiseLine(
  event: GuardEvent,
  seq: number,
  ts: string,
  prev: string,
): { line: string; hash: string } {
  let before = '';
  let after = '';
  let fast = typeof event.toJSON !== 'function';
  if (fast) {
    const keys = Object.keys(event);
    keys.push('seq', 'ts', 'prev');
    keys.sort();
    try {
      for (const key of keys) {
        const value = key === 'seq' ? seq : key === 'ts' ? ts : key === 'prev' ? prev : event[key];
        const item = canonicalValue(value);
        if (item === undefined) continue;
        const part = `${quoteKey(key)}:${item}`;
        if (key < 'hash') before = before === '' ? part : `${before},${part}`;
        else after = after === '' ? part : `${after},${part}`;
      }
    } catch {
      fast = false;
    }
  }
  if (!fast) {
    const body = { ...event, seq, ts, prev };
    const text = canonicalJson(body);
    const hash = sha256Text(text);
    return { line: `${canonicalJson({ ...body, hash })}\n`, hash };
  }
  const text = `{${before}${before !== '' && after !== '' ? ',' : ''}${after}}`;
  const hash = sha256Text(text);
  const field = `"hash":"${hash}"`;
  return { line: `{${before}${before !== '' ? ',' : ''}${field}${after !== '' ? ',' : ''}${after}}\n`, hash };
}

/** canonicalJson of one value (recording/canonical-json.ts), without tracking a path for messages. */
function canonicalValue(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('not a finite number');
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('a bigint');
    case 'object':
      break;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalValue(value[i]) ?? 'null';
    }
    return `${out}]`;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return canonicalValue(withToJson.toJSON());
  const record = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(record).sort()) {
    const item = canonicalValue(record[key]);
    if (item !== undefined) out = `${out}${out === '' ? '' : ','}${quoteKey(key)}:${item}`;
  }
  return `{${out}}`;
}

/** Field names repeat from event to event: their JSON form is kept rather than made each time. */
const quotedKeys = new Map<string, string>();
function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 4096) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** The hash of an event line: sha256 of the canonical JSON of everything but `hash`. */
export function eventHash(event: Record<string, unknown>): string {
  const { hash: _ignored, ...body } = event;
  return sha256Text(canonicalJson(body));
}

export interface EventProblem {
  line: number;
  seq?: number;
  message: string;
}

export interface EventChainVerification {
  ok: boolean;
  problem?: EventProblem;
  events: ChainedEvent[];
  head: string;
  count: number;
}

export interface EventChainExpectation {
  head?: string;
  count?: number;
  /** Where the chain starts when it continues another one. */
  startHead?: string;
  startSeq?: number;
}

export function verifyEventChain(text: string, expected: EventChainExpectation = {}): EventChainVerification {
  const result: EventChainVerification = {
    ok: false,
    events: [],
    head: expected.startHead ?? GENESIS_HEAD,
    count: 0,
  };
  const fail = (line: number, message: string, seq?: number): EventChainVerification => {
    result.problem = seq === undefined ? { line, message } : { line, seq, message };
    return result;
  };
  const lines = text.split('\n');
  const last = lines.pop();
  if (last !== '')
    return fail(lines.length + 1, 'the last line is not terminated by a newline (the file was truncated)');

  let expectedSeq = (expected.startSeq ?? 0) + 1;
  for (let i = 0; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const parsed = parseEvent(lines[i] ?? '');
    if (typeof parsed === 'string') return fail(lineNo, parsed);
    const { seq } = parsed;
    if (eventHash(parsed) !== parsed.hash) {
      return fail(lineNo, `event ${seq} does not match its own hash (the line was edited)`, seq);
    }
    if (seq !== expectedSeq)
      return fail(lineNo, `chain broken: ${describeSeqGap(lines, i, seq, expectedSeq)}`, seq);
    if (parsed.prev !== result.head) {
      const previous = lineNo === 1 ? 'the chain start' : `line ${lineNo - 1}'s hash`;
      return fail(
        lineNo,
        `chain broken: prev does not match ${previous} (an event was removed, inserted or reordered)`,
        seq,
      );
    }
    result.head = parsed.hash;
    result.count += 1;
    result.events.push(parsed);
    expectedSeq += 1;
  }
  if (expected.count !== undefined && expected.count !== result.count) {
    return fail(
      lines.length,
      `the log has ${result.count} events but the manifest says ${expected.count} (events were removed from the end or added)`,
    );
  }
  if (expected.head !== undefined && expected.head !== result.head) {
    return fail(
      lines.length,
      `the chain head ${result.head.slice(0, 12)}... does not match the manifest's ${expected.head.slice(0, 12)}... (events were removed from the end or the chain was rewritten)`,
    );
  }
  result.ok = true;
  return result;
}

function describeSeqGap(lines: string[], at: number, seq: number, expectedSeq: number): string {
  if (seq < expectedSeq)
    return `seq ${seq} appears after seq ${expectedSeq - 1} (events were reordered or duplicated)`;
  // The expected event may sit later in the file (moved) or nowhere (removed): say which.
  for (let j = at + 1; j < lines.length; j += 1) {
    const later = parseEvent(lines[j] ?? '');
    if (typeof later !== 'string' && later.seq === expectedSeq) {
      return `seq ${seq} follows seq ${expectedSeq - 1}; event ${expectedSeq} is at line ${j + 1} (events were reordered)`;
    }
  }
  const missing =
    seq - expectedSeq === 1 ? `event ${expectedSeq} is` : `events ${expectedSeq}-${seq - 1} are`;
  return `seq ${seq} follows seq ${expectedSeq - 1}: ${missing} missing (removed)`;
}

function parseEvent(line: string): ChainedEvent | string {
  if (line === '') return 'empty line (guard never writes one; the file was edited)';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON (the line was edited or cut)';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const event = value as Record<string, unknown>;
  if (!Number.isInteger(event.seq) || (event.seq as number) < 1) return 'has no positive integer seq';
  if (typeof event.type !== 'string' || typeof event.ts !== 'string') return 'has no type or ts';
  if (!isSha256Hex(event.prev) || !isSha256Hex(event.hash)) return 'has no prev and hash (hex sha256)';
  return event as ChainedEvent;
}
