// Node adapter: writes a step recording (.cast) and the job's events.jsonl to disk, in order, fsynced on
// close. `strict`: a write error rejects with GuardError RECORDING_FAILED, so the caller stops the step (fail
// closed). `best_effort`: the file stops at the last line written whole, the error becomes a
// `recording.gap` event (and a gap in close()'s result), and the step goes on.

import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GuardError, describeError } from '../lib/errors.js';
import { createCastRecorder } from './asciicast.js';
import type { CastHeader } from './asciicast.js';
import { createEventChain } from './event-chain.js';
import type { GuardEvent } from './event-chain.js';

export type RecordingMode = 'strict' | 'best_effort';

export interface RecordingGap {
  file: string;
  /** What was lost: the line count and chain head at the point the file stops. */
  afterLine: number;
  head: string;
  at: string;
  error: string;
}

export interface ClosedFile {
  path: string;
  sha256: string;
  size: number;
  /** Chain head of the lines actually in the file. */
  head: string;
  /** Lines in the chain: for a .cast header + events, for events.jsonl the events. */
  count: number;
  gaps: RecordingGap[];
}

/** Appends chained lines to one file; shared by both recorders. */
class ChainedFileWriter {
  private readonly hash = createHash('sha256');
  private size = 0;
  private writtenHead: string;
  private writtenCount: number;
  private queue: Promise<void> = Promise.resolve();
  private failure: GuardError | undefined;
  private stopped = false;
  readonly gaps: RecordingGap[] = [];

  constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private readonly mode: RecordingMode,
    startHead: string,
    startCount: number,
    private readonly onGap: ((gap: RecordingGap) => Promise<void>) | undefined,
  ) {
    this.writtenHead = startHead;
    this.writtenCount = startCount;
  }

  /** Queues `text` (whole lines) whose chain ends at head/count; resolves when it is on disk. */
  write(text: string, head: string, count: number): Promise<void> {
    const step = this.queue.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      if (this.stopped) return;
      const bytes = Buffer.from(text, 'utf8');
      try {
        let offset = 0;
        while (offset < bytes.length) {
          const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
          offset += bytesWritten;
        }
      } catch (error) {
        await this.fail(error);
        return;
      }
      this.hash.update(bytes);
      this.size += bytes.length;
      this.writtenHead = head;
      this.writtenCount = count;
    });
    // The queue must keep going after a rejected step so close() still runs.
    this.queue = step.catch(() => undefined);
    return step;
  }

  private async fail(error: unknown): Promise<void> {
    const message = `guard: could not write the recording ${this.path}: ${describeError(error)}`;
    if (this.mode === 'strict') {
      this.failure = new GuardError(
        'RECORDING_FAILED',
        `${message}; the step is stopped because recording is strict (free disk space or fix permissions, or set recording: best_effort)`,
        { cause: error },
      );
      throw this.failure;
    }
    this.stopped = true;
    const gap: RecordingGap = {
      file: this.path,
      afterLine: this.writtenCount,
      head: this.writtenHead,
      at: new Date().toISOString(),
      error: describeError(error),
    };
    this.gaps.push(gap);
    try {
      await this.onGap?.(gap);
    } catch {
      // best_effort: losing the gap note too must not stop the step; the gap stays in close()'s result.
    }
  }

  async close(): Promise<ClosedFile> {
    await this.queue;
    try {
      await this.handle.sync();
    } catch (error) {
      if (this.mode === 'strict') {
        throw new GuardError(
          'RECORDING_FAILED',
          `guard: could not flush the recording ${this.path} to disk: ${describeError(error)}`,
          { cause: error },
        );
      }
    } finally {
      await this.handle.close();
    }
    if (this.failure !== undefined) throw this.failure;
    return {
      path: this.path,
      sha256: this.hash.digest('hex'),
      size: this.size,
      head: this.writtenHead,
      count: this.writtenCount,
      gaps: this.gaps,
    };
  }
}

async function openForWrite(path: string): Promise<FileHandle> {
  try {
    await mkdir(dirname(path), { recursive: true });
    // 'wx': a recording is never silently overwritten or appended to an older one.
    return await open(path, 'wx', 0o600);
  } catch (error) {
    throw new GuardError(
      'RECORDING_FAILED',
      `guard: could not create the recording ${path}: ${describeError(error)}; check the runner's temp directory is writable`,
      { cause: error },
    );
  }
}

export interface EventLog {
  append(event: GuardEvent, atMs?: number): Promise<void>;
  head(): string;
  count(): number;
  close(): Promise<ClosedFile>;
}

export interface EventLogOptions {
  mode: RecordingMode;
  previousHead?: string;
  previousCount?: number;
}

export async function openEventLog(path: string, options: EventLogOptions): Promise<EventLog> {
  return eventLogOn(await openForWrite(path), path, options);
}

/** Same as openEventLog on a handle the caller opened (a pipe, or a device in tests). */
export function eventLogOn(handle: FileHandle, path: string, options: EventLogOptions): EventLog {
  const chain = createEventChain(options.previousHead, options.previousCount);
  const writer = new ChainedFileWriter(handle, path, options.mode, chain.head(), chain.count(), undefined);
  return {
    append(event, atMs = Date.now()) {
      const line = chain.append(event, atMs);
      return writer.write(line, chain.head(), chain.count());
    },
    head: () => chain.head(),
    count: () => chain.count(),
    close: () => writer.close(),
  };
}

export interface StepRecording {
  output(text: string, atMs?: number): Promise<void>;
  input(text: string, atMs?: number): Promise<void>;
  marker(label: string, atMs?: number): Promise<void>;
  resize(cols: number, rows: number, atMs?: number): Promise<void>;
  exit(status: number, atMs?: number): Promise<void>;
  head(): string;
  close(): Promise<ClosedFile>;
}

export interface StepRecordingOptions {
  mode: RecordingMode;
  startedAtMs?: number;
  /** Where a best_effort gap is noted as a `recording.gap` event. */
  events?: EventLog;
  step?: number;
}

/** Creates the .cast file and writes its header. The text passed in must already be masked. */
export async function openStepRecording(
  path: string,
  header: CastHeader,
  options: StepRecordingOptions,
): Promise<StepRecording> {
  return stepRecordingOn(await openForWrite(path), path, header, options);
}

/** Same as openStepRecording on a handle the caller opened (a pipe, or a device in tests). */
export async function stepRecordingOn(
  handle: FileHandle,
  path: string,
  header: CastHeader,
  options: StepRecordingOptions,
): Promise<StepRecording> {
  const startedAtMs = options.startedAtMs ?? Date.now();
  const cast = createCastRecorder(header, startedAtMs);
  const events = options.events;
  const onGap = events
    ? (gap: RecordingGap) => events.append({ type: 'recording.gap', step: options.step, ...gap })
    : undefined;
  const writer = new ChainedFileWriter(handle, path, options.mode, cast.head(), 0, onGap);
  const put = (text: string) => writer.write(text, cast.head(), cast.count());
  try {
    await put(cast.header());
  } catch (error) {
    await writer.close().catch(() => undefined);
    throw error;
  }
  return {
    output: (text, atMs = Date.now()) => put(cast.output(text, atMs)),
    input: (text, atMs = Date.now()) => put(cast.input(text, atMs)),
    marker: (label, atMs = Date.now()) => put(cast.marker(label, atMs)),
    resize: (cols, rows, atMs = Date.now()) => put(cast.resize(cols, rows, atMs)),
    exit: (status, atMs = Date.now()) => put(cast.exit(status, atMs)),
    head: () => cast.head(),
    close: () => writer.close(),
  };
}
