// The proxy's statement record on disk: events hash-chained (recording/event-chain.ts) and appended to one
// JSONL file. Lines are batched and written at most every FLUSH_MS or FLUSH_BYTES, not one write per
// statement: a write per statement costs more than the statement itself on a busy proxy. A write error
// is reported once through `onFailure`, so the owner can stop the proxy rather than run unrecorded.

import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardError } from '../lib/errors.js';
import { createEventChain } from '../recording/event-chain.js';
import type { ProxyEvent } from './events.js';

export const RECORD_FILE = 'pg-proxy-events.jsonl';
const FLUSH_MS = 20;
const FLUSH_BYTES = 256 * 1024;

export interface RecordFile {
  readonly path: string;
  append(event: ProxyEvent, atMs: number): void;
  /** Writes what is pending and closes the file; rejects if any write failed. */
  close(): Promise<void>;
}

export async function openRecordFile(
  dir: string,
  onFailure: (error: GuardError) => void,
): Promise<RecordFile> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, RECORD_FILE);
  const chain = createEventChain();
  const stream = createWriteStream(path, { flags: 'wx' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) =>
      reject(
        new GuardError(
          'RECORDING_FAILED',
          `guard pg proxy: cannot create ${path} (${error.message}); choose an empty record folder`,
          {
            cause: error,
          },
        ),
      ),
    );
  });
  let failure: GuardError | undefined;
  stream.on('error', (error) => {
    if (failure !== undefined) return;
    failure = new GuardError(
      'RECORDING_FAILED',
      `guard pg proxy: writing ${path} failed (${error.message})`,
      { cause: error },
    );
    onFailure(failure);
  });
  // Two stages. Events are chained on the next turn of the event loop, in a batch, so hashing never sits
  // in the middle of a client's round trip; lines are written at most every FLUSH_MS or FLUSH_BYTES.
  let queued: [ProxyEvent, number][] = [];
  let lines: string[] = [];
  let lineBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const chainQueued = (): void => {
    const batch = queued;
    queued = [];
    for (const [event, atMs] of batch) {
      const line = chain.append(event as unknown as { type: string }, atMs);
      lines.push(line);
      lineBytes += line.length;
    }
    if (lineBytes >= FLUSH_BYTES) flush();
    else timer ??= setTimeout(flush, FLUSH_MS);
  };
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (lines.length === 0 || failure !== undefined) return;
    stream.write(lines.join(''));
    lines = [];
    lineBytes = 0;
  };
  return {
    path,
    append: (event, atMs) => {
      queued.push([event, atMs]);
      if (queued.length === 1) setImmediate(chainQueued);
    },
    close: async () => {
      chainQueued();
      flush();
      await new Promise<void>((resolve) => stream.end(() => resolve()));
      if (failure !== undefined) throw failure;
    },
  };
}
