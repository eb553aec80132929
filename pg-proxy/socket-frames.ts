// Reads whole protocol messages from a socket one at a time, for the short request/response exchanges
// (upstream login, side queries). The session's hot path does not use this: it handles chunks directly.

import type { Socket } from 'node:net';
import { FrameReader, type Frame } from './protocol/frame-reader.js';

export class SocketFrames {
  private readonly frames: Frame[] = [];
  private waiter: { resolve: (f: Frame) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer): void => {
    try {
      this.frames.push(...this.reader.push(chunk));
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.wake();
  };
  private readonly onClose = (): void => this.fail(new Error('the connection closed'));
  private readonly onError = (error: Error): void => this.fail(error);

  constructor(
    private readonly socket: Socket,
    readonly reader: FrameReader = new FrameReader(),
  ) {
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
  }

  next(): Promise<Frame> {
    const frame = this.frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Stops listening and returns the frames already read but not consumed. */
  detach(): Frame[] {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onError);
    return this.frames.splice(0);
  }

  private wake(): void {
    const waiter = this.waiter;
    const frame = this.frames[0];
    if (waiter === undefined || frame === undefined) return;
    this.waiter = undefined;
    this.frames.shift();
    waiter.resolve(frame);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
  }
}
