// Checks a guard recording against the asciicast v3 spec and its own `#chain` comments, naming the first
// line that is malformed, edited, removed, inserted or moved. Pure: takes the file's text.

import { CAST_CHAIN_PREFIX } from './asciicast.js';
import { GENESIS_HEAD, chainLink, isSha256Hex } from './sha256.js';

export interface CastProblem {
  /** 1-based line number in the file. */
  line: number;
  /** Index of the recorded line (header 0, events from 1) when known. */
  event?: number;
  message: string;
}

export interface CastEvent {
  time: number;
  code: string;
  data: string;
}

export interface CastVerification {
  ok: boolean;
  /** The first problem found; checking stops there because every later link depends on it. */
  problem?: CastProblem;
  header?: Record<string, unknown>;
  events: CastEvent[];
  /** Chain head over the lines verified (the whole file when ok). */
  head: string;
  /** Header + events verified. */
  count: number;
  durationSeconds: number;
  exitStatus?: number;
  markers: string[];
}

const KNOWN_CODES = new Set(['o', 'i', 'm', 'r', 'x']);

export function verifyCast(text: string, expected?: { head?: string; count?: number }): CastVerification {
  const result: CastVerification = {
    ok: false,
    events: [],
    head: GENESIS_HEAD,
    count: 0,
    durationSeconds: 0,
    markers: [],
  };
  const fail = (line: number, message: string, event?: number): CastVerification => {
    result.problem = event === undefined ? { line, message } : { line, event, message };
    return result;
  };
  if (text.length === 0) return fail(1, 'the file is empty (no asciicast header)');
  const lines = text.split('\n');
  const last = lines.pop();
  if (last !== '')
    return fail(lines.length + 1, 'the last line is not terminated by a newline (the file was truncated)');

  let micros = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const line = lines[i] ?? '';
    if (line.startsWith('#')) {
      return fail(
        lineNo,
        `unexpected comment line: every comment must be the #chain line after a recorded line`,
      );
    }
    const index = result.count;
    const shape = index === 0 ? checkHeader(line) : checkEvent(line);
    if (typeof shape === 'string') return fail(lineNo, shape, index);

    const comment = lines[i + 1];
    const chain = comment === undefined ? undefined : parseChainComment(comment);
    if (chain === undefined) {
      return fail(
        lineNo + 1,
        `the #chain line for line ${lineNo} is missing (a line was inserted, or the file was cut)`,
        index,
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
    if (typeof shape === 'object' && 'version' in shape) {
      result.header = shape;
    } else if (Array.isArray(shape)) {
      const [interval, code, data] = shape;
      micros += Math.round(interval * 1_000_000);
      result.events.push({ time: micros / 1_000_000, code, data });
      if (code === 'm') result.markers.push(data);
      if (code === 'x') result.exitStatus = Number(data);
    }
    i += 1; // the #chain line
  }
  result.durationSeconds = micros / 1_000_000;
  if (expected?.count !== undefined && expected.count !== result.count) {
    return fail(
      lines.length,
      `the recording has ${result.count} lines but the manifest says ${expected.count} (lines were removed from the end or added)`,
    );
  }
  if (expected?.head !== undefined && expected.head !== result.head) {
    return fail(
      lines.length,
      `the chain head ${short(result.head)} does not match the manifest's ${short(expected.head)} (the end of the recording was removed or the whole chain rewritten)`,
    );
  }
  result.ok = true;
  return result;
}

function checkHeader(line: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'the header is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'the header is not a JSON object';
  const header = value as Record<string, unknown>;
  if (header.version !== 3) return `the header says version ${JSON.stringify(header.version)}, not 3`;
  const term = header.term as Record<string, unknown> | undefined;
  if (typeof term !== 'object' || term === null || !isSize(term.cols) || !isSize(term.rows)) {
    return 'the header has no term.cols and term.rows (positive integers)';
  }
  if (
    header.timestamp !== undefined &&
    !(Number.isInteger(header.timestamp) && (header.timestamp as number) >= 0)
  ) {
    return 'the header timestamp is not a non-negative integer';
  }
  return header;
}

function checkEvent(line: string): [number, string, string] | string {
  if (!line.startsWith('[')) return 'an event line must be a JSON array starting with "["';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'the event line is not valid JSON';
  }
  if (!Array.isArray(value) || value.length !== 3)
    return 'an event must be a 3-element array [interval, code, data]';
  const [interval, code, data] = value as unknown[];
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 0) {
    return 'the event interval is not a non-negative number of seconds';
  }
  if (typeof code !== 'string' || !KNOWN_CODES.has(code)) return `unknown event code ${JSON.stringify(code)}`;
  if (typeof data !== 'string') return 'the event data is not a string';
  if (code === 'r' && !/^[1-9]\d*x[1-9]\d*$/.test(data))
    return `resize data ${JSON.stringify(data)} is not COLSxROWS`;
  if (code === 'x' && !/^-?\d+$/.test(data))
    return `exit data ${JSON.stringify(data)} is not an integer status`;
  return [interval, code, data];
}

function parseChainComment(line: string): { index: number; head: string } | undefined {
  if (!line.startsWith(CAST_CHAIN_PREFIX)) return undefined;
  const [index, head, extra] = line.slice(CAST_CHAIN_PREFIX.length).split(' ');
  if (extra !== undefined || index === undefined || !/^\d+$/.test(index) || !isSha256Hex(head))
    return undefined;
  return { index: Number(index), head };
}

function isSize(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) > 0;
}

function describeIndexGap(lines: string[], at: number, found: number, expected: number): string {
  if (found < expected) {
    return `recorded line ${found} appears after recorded line ${expected - 1} (lines were reordered or duplicated)`;
  }
  // The expected line may sit later in the file (moved) or nowhere (removed): say which.
  for (let j = at + 2; j < lines.length; j += 2) {
    if (parseChainComment(lines[j] ?? '')?.index === expected) {
      return `recorded line ${found} follows recorded line ${expected - 1}; recorded line ${expected} is at line ${j} (lines were reordered)`;
    }
  }
  const missing =
    found - expected === 1 ? `recorded line ${expected} is` : `recorded lines ${expected}-${found - 1} are`;
  return `recorded line ${found} follows recorded line ${expected - 1}: ${missing} missing (removed)`;
}

export function short(hex: string): string {
  return `${hex.slice(0, 12)}...`;
}
