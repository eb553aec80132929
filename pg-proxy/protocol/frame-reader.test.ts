import { describe, expect, it } from 'vitest';
import { FrameReader, type Frame } from './frame-reader.js';
import { ProtocolError } from './protocol-error.js';
import { BackendCode, FrontendCode } from './message-codes.js';
import {
  decodeBind,
  decodeDataRow,
  decodeErrorFields,
  decodeExecute,
  decodeParse,
  decodeQuery,
  decodeRowDescription,
  decodeStartup,
} from './decode.js';
import {
  encodeCommandComplete,
  encodeDataRow,
  encodeDescribe,
  encodeError,
  encodeParse,
  encodeQuery,
  encodeReadyForQuery,
  encodeSslRequest,
  encodeStartup,
  encodeSync,
} from './encode.js';
import { MessageBuilder } from './message-builder.js';

function bindMessage(): Buffer {
  return new MessageBuilder()
    .cstring('p1')
    .cstring('s1')
    .int16(1)
    .int16(0)
    .int16(2)
    .int32(3)
    .bytes(Buffer.from('abc'))
    .int32(-1)
    .int16(1)
    .int16(1)
    .build(FrontendCode.Bind);
}

function rowDescription(): Buffer {
  return new MessageBuilder()
    .int16(1)
    .cstring('email')
    .uint32(16384)
    .int16(2)
    .uint32(25)
    .int16(-1)
    .int32(-1)
    .int16(0)
    .build(BackendCode.RowDescription);
}

const frontendMessages: [string, Buffer][] = [
  ['Query', encodeQuery('select 1; select $$a;b$$')],
  ['Parse', encodeParse('s1', 'select $1::int', [23])],
  ['Bind', bindMessage()],
  ['Describe', encodeDescribe('P', 'p1')],
  ['Execute', new MessageBuilder().cstring('p1').int32(0).build(FrontendCode.Execute)],
  ['Sync', encodeSync()],
];

const backendMessages: [string, Buffer][] = [
  ['RowDescription', rowDescription()],
  ['DataRow', encodeDataRow([Buffer.from('a@b.c'), null, Buffer.alloc(0)])],
  ['CommandComplete', encodeCommandComplete('SELECT 1')],
  ['ErrorResponse', encodeError('42501', 'blocked', 'detail')],
  ['ReadyForQuery', encodeReadyForQuery(0x49)],
];

/** Feeds `bytes` cut at the given offsets and returns every frame, copied out of the reader's views. */
function feed(reader: FrameReader, bytes: Buffer, cuts: number[]): Frame[] {
  const frames: Frame[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    frames.push(...reader.push(bytes.subarray(start, cut)));
    start = cut;
  }
  return frames;
}

describe('FrameReader', () => {
  for (const [name, message] of [...frontendMessages, ...backendMessages]) {
    it(`reassembles ${name} split at the start, middle and end`, () => {
      for (const cut of [1, Math.floor(message.length / 2), message.length - 1]) {
        const reader = new FrameReader();
        const frames = feed(reader, message, [cut]);
        expect(frames).toHaveLength(1);
        expect(frames[0]!.code).toBe(message[0]);
        expect(Buffer.compare(frames[0]!.raw, message)).toBe(0);
        expect(frames[0]!.payload.length).toBe(message.length - 5);
        expect(reader.buffered).toBe(0);
      }
    });
  }

  // Every message type the protocol defines, frontend and backend, with an empty and a non-empty body.
  const allTyped = [...Object.entries(FrontendCode), ...Object.entries(BackendCode)].flatMap(
    ([name, code]) => [
      [`${name} (empty)`, new MessageBuilder().build(code)] as const,
      [name, new MessageBuilder().cstring(`${name} body`).int32(7).build(code)] as const,
    ],
  );
  for (const [name, message] of allTyped) {
    it(`reassembles every message type: ${name}, split at the start, middle and end`, () => {
      for (const cut of [1, Math.floor(message.length / 2), message.length - 1]) {
        const frames = feed(new FrameReader(), message, [cut]);
        expect(frames.map((f) => [f.code, f.payload.length])).toEqual([[message[0], message.length - 5]]);
      }
    });
  }

  for (const [name, message] of [
    ['SSLRequest', encodeSslRequest()],
    ['GSSENCRequest', new MessageBuilder().int32(80877104).build()],
    ['CancelRequest', new MessageBuilder().int32(80877102).int32(42).int32(7).build()],
    ['StartupMessage', encodeStartup({ user: 'u', database: 'd' })],
  ] as const) {
    it(`reassembles the untyped ${name}, split at the start, middle and end`, () => {
      for (const cut of [1, Math.floor(message.length / 2), message.length - 1]) {
        const frames = feed(new FrameReader({ untypedFirst: true }), message, [cut]);
        expect(frames).toHaveLength(1);
        expect(decodeStartup(frames[0]!.payload).kind).toBe(
          { SSLRequest: 'ssl', GSSENCRequest: 'gssenc', CancelRequest: 'cancel', StartupMessage: 'startup' }[
            name
          ],
        );
      }
    });
  }

  it('reassembles a pipelined stream cut at every byte offset, including one byte at a time', () => {
    const stream = Buffer.concat(frontendMessages.map(([, m]) => m));
    for (let cut = 1; cut < stream.length; cut++) {
      const frames = feed(new FrameReader(), stream, [cut]);
      expect(frames.map((f) => f.code)).toEqual(frontendMessages.map(([, m]) => m[0]));
    }
    const bytewise = feed(
      new FrameReader(),
      stream,
      Array.from({ length: stream.length - 1 }, (_, i) => i + 1),
    );
    expect(bytewise).toHaveLength(frontendMessages.length);
    expect(decodeQuery(bytewise[0]!.payload)).toBe('select 1; select $$a;b$$');
  });

  it('reads the untyped startup message and a typed message after it, split at start, middle, end', () => {
    const startup = encodeStartup({ user: 'alice', database: 'test', application_name: 'psql' });
    const stream = Buffer.concat([startup, encodeQuery('select 1')]);
    for (const cut of [1, Math.floor(startup.length / 2), startup.length - 1, startup.length + 2]) {
      const frames = feed(new FrameReader({ untypedFirst: true }), stream, [cut]);
      expect(frames.map((f) => f.code)).toEqual([0, FrontendCode.Query]);
      expect(decodeStartup(frames[0]!.payload)).toEqual({
        kind: 'startup',
        version: 196608,
        params: { user: 'alice', database: 'test', application_name: 'psql' },
      });
    }
  });

  it('reads an SSLRequest, then a second untyped startup once the caller re-arms untyped mode', () => {
    const reader = new FrameReader({ untypedFirst: true });
    const [ssl] = reader.push(encodeSslRequest());
    expect(decodeStartup(ssl!.payload)).toEqual({ kind: 'ssl' });
    reader.expectUntyped(true);
    const [startup] = reader.push(encodeStartup({ user: 'u' }));
    expect(startup!.code).toBe(0);
  });

  it('respects byteOffset: decodes messages that sit inside a larger ArrayBuffer', () => {
    const message = bindMessage();
    const backing = new ArrayBuffer(message.length + 37);
    const view = new Uint8Array(backing, 29, message.length);
    view.set(message);
    new Uint8Array(backing, 0, 29).fill(0xee);
    const [frame] = new FrameReader().push(view);
    const bind = decodeBind(frame!.payload);
    expect(bind.portal).toBe('p1');
    expect(bind.statement).toBe('s1');
    expect(bind.params.map((p) => (p === null ? null : p.toString()))).toEqual(['abc', null]);
    expect(bind.resultFormats).toEqual([1]);
  });

  it('refuses a length below 4 or above the limit with a ProtocolError', () => {
    expect(() => new FrameReader().push(Buffer.from([0x51, 0, 0, 0, 2]))).toThrow(ProtocolError);
    expect(() => new FrameReader({ maxMessageLength: 100 }).push(Buffer.from([0x51, 0, 0, 1, 0]))).toThrow(
      /invalid length 256 for message type 'Q'/,
    );
    expect(() => new FrameReader({ untypedFirst: true }).push(Buffer.from([0, 1, 0, 0]))).toThrow(
      /invalid startup packet length/,
    );
  });
});

describe('decoders', () => {
  it('decode what the encoders wrote', () => {
    const [parse] = new FrameReader().push(encodeParse('s1', 'select $1::int', [23]));
    expect(decodeParse(parse!.payload)).toEqual({ name: 's1', text: 'select $1::int', paramTypes: [23] });
    const [desc] = new FrameReader().push(rowDescription());
    expect(decodeRowDescription(desc!.payload)).toEqual([
      { name: 'email', tableOid: 16384, attnum: 2, typeOid: 25, typeSize: -1, typeMod: -1, format: 0 },
    ]);
    const [row] = new FrameReader().push(encodeDataRow([Buffer.from('x'), null]));
    expect(decodeDataRow(row!.payload).map((v) => v?.toString() ?? null)).toEqual(['x', null]);
    const [err] = new FrameReader().push(encodeError('42501', 'no', 'why'));
    expect(decodeErrorFields(err!.payload).map(([t, v]) => `${String.fromCharCode(t)}=${v}`)).toEqual([
      'S=ERROR',
      'V=ERROR',
      'C=42501',
      'M=no',
      'D=why',
    ]);
    const [exec] = new FrameReader().push(
      new MessageBuilder().cstring('').int32(5).build(FrontendCode.Execute),
    );
    expect(decodeExecute(exec!.payload)).toEqual({ portal: '', maxRows: 5 });
  });

  it('refuse truncated payloads instead of reading past them', () => {
    // A DataRow that claims a 100-byte column but carries 3 bytes.
    const lying = new MessageBuilder()
      .int16(1)
      .int32(100)
      .bytes(Buffer.from('abc'))
      .build(BackendCode.DataRow);
    const [frame] = new FrameReader().push(lying);
    expect(() => decodeDataRow(frame!.payload)).toThrow(/truncated/);
    const noNul = new MessageBuilder().bytes(Buffer.from('select 1')).build(FrontendCode.Query);
    expect(() => decodeQuery(new FrameReader().push(noNul)[0]!.payload)).toThrow(/NUL-terminated/);
  });
});
