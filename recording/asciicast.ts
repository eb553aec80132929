// asciicast v3 writer (https://docs.asciinema.org/manual/asciicast/v3): a header line, then one
// `[interval, code, data]` line per event, intervals in seconds since the previous event.
//
// Every line (header included) is followed by a comment line `#chain <index> <hex>`: the line's index (header
// 0, events from 1) and the running sha256 chain head. The v3 spec says lines starting with '#' are comments,
// ignored by readers: asciinema 3 skips empty and '#' lines, asciinema-player keeps only lines starting with
// '[' after the header. So the file plays as is, and a verifier can name the first line that was changed,
// removed, inserted or moved.

import { GENESIS_HEAD, chainLink } from './sha256.js';

export interface CastHeader {
  cols: number;
  rows: number;
  command?: string;
  title?: string;
  /** Unix seconds; defaults to the recording's start. */
  timestamp?: number;
  env?: Record<string, string>;
  /** TERM of the recorded terminal, e.g. xterm-256color. */
  termType?: string;
  idleTimeLimit?: number;
}

export interface CastRecorder {
  /** The header line and its chain comment, ending in '\n'. Call once, first. */
  header(): string;
  output(text: string, atMs: number): string;
  input(text: string, atMs: number): string;
  /** A named point in the recording (approval waits and decisions), shown as a marker by the player. */
  marker(label: string, atMs: number): string;
  resize(cols: number, rows: number, atMs: number): string;
  exit(status: number, atMs: number): string;
  /** The chain head after the last line returned (hex sha256). */
  head(): string;
  /** How many lines (header + events, comments not counted) were returned. */
  count(): number;
}

export const CAST_CHAIN_PREFIX = '#chain ';
export type CastEventCode = 'o' | 'i' | 'm' | 'r' | 'x';

export function createCastRecorder(header: CastHeader, startedAtMs: number): CastRecorder {
  validateSize(header.cols, header.rows, 'header');
  if (!Number.isFinite(startedAtMs))
    throw new TypeError('createCastRecorder: startedAtMs must be a finite number');
  let head = GENESIS_HEAD;
  let lines = 0;
  let headerDone = false;
  // Time is kept in whole microseconds since the start so intervals add up exactly to the elapsed time.
  let lastUs = 0;

  const emit = (line: string): string => {
    head = chainLink(head, line);
    const index = lines;
    lines += 1;
    return `${line}\n${CAST_CHAIN_PREFIX}${index} ${head}\n`;
  };

  const event = (code: CastEventCode, data: string, atMs: number): string => {
    if (!headerDone) throw new TypeError('CastRecorder: write the header before any event');
    if (!Number.isFinite(atMs)) throw new TypeError('CastRecorder: atMs must be a finite number');
    // A clock that steps back must not produce a negative interval (players reject or mis-seek those).
    const nowUs = Math.max(lastUs, Math.round((atMs - startedAtMs) * 1000));
    const interval = formatInterval(nowUs - lastUs);
    lastUs = nowUs;
    return emit(`[${interval}, ${JSON.stringify(code)}, ${JSON.stringify(data)}]`);
  };

  return {
    header() {
      if (headerDone) throw new TypeError('CastRecorder: the header was already written');
      headerDone = true;
      return emit(JSON.stringify(headerObject(header, startedAtMs)));
    },
    output: (text, atMs) => event('o', text, atMs),
    input: (text, atMs) => event('i', text, atMs),
    marker: (label, atMs) => event('m', label, atMs),
    resize(cols, rows, atMs) {
      validateSize(cols, rows, 'resize');
      return event('r', `${cols}x${rows}`, atMs);
    },
    exit(status, atMs) {
      if (!Number.isInteger(status))
        throw new TypeError(`CastRecorder: exit status ${status} is not an integer`);
      return event('x', String(status), atMs);
    },
    head: () => head,
    count: () => lines,
  };
}

function headerObject(header: CastHeader, startedAtMs: number): Record<string, unknown> {
  const term: Record<string, unknown> = { cols: header.cols, rows: header.rows };
  if (header.termType !== undefined) term.type = header.termType;
  const out: Record<string, unknown> = {
    version: 3,
    term,
    // asciinema reads the timestamp as an unsigned integer.
    timestamp: Math.floor(header.timestamp ?? startedAtMs / 1000),
  };
  if (header.idleTimeLimit !== undefined) out.idle_time_limit = header.idleTimeLimit;
  if (header.command !== undefined) out.command = header.command;
  if (header.title !== undefined) out.title = header.title;
  if (header.env !== undefined && Object.keys(header.env).length > 0) out.env = header.env;
  return out;
}

/** Seconds with up to six decimals and no trailing zeros past the first ("0.0", "1.25", "12.000003"). */
export function formatInterval(micros: number): string {
  const whole = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${whole}.${fraction === '' ? '0' : fraction}`;
}

function validateSize(cols: number, rows: number, where: string): void {
  const ok = (n: number) => Number.isInteger(n) && n > 0 && n <= 65535;
  if (!ok(cols) || !ok(rows)) {
    throw new TypeError(
      `CastRecorder: ${where} size ${cols}x${rows} is not two integers between 1 and 65535`,
    );
  }
}
