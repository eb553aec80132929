// A step's output path, shared by local and SSH steps: each stream gets its own masker state; masked text
// goes to the runner at once and to the recording in order. In strict mode a recording that cannot be
// written stops the step (the caller says how), because the evidence would be incomplete.
import { describeError } from '../lib/errors.js';
import { createMaskedOutput } from '../masking/mask-transform.js';
import type { Masker } from '../masking/masker.js';
import type { StepRecording } from '../recording/recording-files.js';

export interface StepOutput {
  /** Sends one of the process's streams through the masker to `to` and to the recording. */
  attach(from: NodeJS.ReadableStream, to: NodeJS.WritableStream): void;
  /** Releases what the maskers hold and resolves once the recording has everything. */
  finish(): Promise<void>;
  /** Why the recording failed in strict mode, if it did. */
  recordingError(): string | undefined;
}

export function createStepOutput(options: {
  masker: Masker;
  recording: StepRecording;
  strict: boolean;
  /** Called once when a strict recording fails: stop the step. */
  onRecordingFailure: () => void;
}): StepOutput {
  let failure: string | undefined;
  let pending: Promise<void> = Promise.resolve();
  const outputs: { end(): void }[] = [];
  const record = (text: string) => {
    if (!text) return;
    pending = pending
      .then(() => options.recording.output(text))
      .catch((error: unknown) => {
        // best_effort recordings record their own gap and never reject here.
        if (options.strict && !failure) {
          failure = describeError(error);
          options.onRecordingFailure();
        }
      });
  };
  return {
    attach(from, to) {
      const masked = createMaskedOutput(options.masker.stream(), {
        runner: (text) => void to.write(text),
        record,
      });
      from.on('data', (chunk: Buffer) => masked.write(chunk));
      outputs.push(masked);
    },
    async finish() {
      for (const masked of outputs) masked.end();
      await pending;
    },
    recordingError: () => failure,
  };
}
