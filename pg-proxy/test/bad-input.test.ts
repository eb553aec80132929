// Bad input from either side: the client gets a clear ErrorResponse, the event is recorded, nothing
// unmasked leaks, and the proxy keeps serving its other connections.

import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeErrorFields } from '../protocol/decode.js';
import { encodeQuery, encodeStartup } from '../protocol/encode.js';
import { MessageBuilder } from '../protocol/message-builder.js';
import { BackendCode, ErrorField, FrontendCode } from '../protocol/message-codes.js';
import { startPgProxy, type PgProxy, type ProxyEvent } from '../proxy.js';
import { RawClient, errorMessage } from './raw-client.js';
import { startRelay, type Relay } from './relay.js';
import { eventually } from './proxy-fixture.js';
import { startUpstream, type TestUpstream } from './upstream-fixture.js';

let upstream: TestUpstream;
let relay: Relay;
let proxy: PgProxy;
const events: ProxyEvent[] = [];
const login = (): Promise<RawClient> =>
  RawClient.login(proxy.host, proxy.port, 'step', 'pw-1', upstream.database);

beforeAll(async () => {
  upstream = await startUpstream();
  await upstream.sql(`CREATE TABLE secrets (id int, email text)`);
  await upstream.sql(`INSERT INTO secrets VALUES (1, 'ann@example.com')`);
  relay = await startRelay(upstream.host, upstream.port);
  proxy = await startPgProxy({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: { host: '127.0.0.1', port: relay.port, user: upstream.user, database: upstream.database },
    clientAuth: { user: 'step', password: 'pw-1' },
    maskColumns: ['secrets.email'],
    onEvent: (e) => events.push(e),
  });
});

afterAll(async () => {
  await proxy.close();
  await relay.close();
  await upstream.close();
});

beforeEach(() => {
  relay.transform = (chunk) => chunk;
});

/** Every byte one socket receives until it closes. */
function collect(socket: import('node:net').Socket): Promise<Buffer> {
  const parts: Buffer[] = [];
  socket.on('data', (d: Buffer) => parts.push(d));
  return new Promise((resolve) => socket.on('close', () => resolve(Buffer.concat(parts))));
}

function fatalOf(bytes: Buffer): { code: string; message: string } {
  const at = bytes.lastIndexOf(BackendCode.ErrorResponse);
  const fields = decodeErrorFields(bytes.subarray(at + 5, at + 1 + bytes.readInt32BE(at + 1)));
  return {
    code: fields.find(([t]) => t === ErrorField.Code)![1],
    message: fields.find(([t]) => t === ErrorField.Message)![1],
  };
}

async function stillServes(): Promise<void> {
  const other = await login();
  await other.write(encodeQuery('SELECT 1'));
  expect((await other.untilReady()).labels).toEqual([
    'RowDescription',
    'DataRow',
    'CommandComplete',
    'ReadyForQuery',
  ]);
  other.close();
}

describe('bad input from the client', () => {
  it('answers a message with an impossible length with FATAL 08P01, records it, and serves the others', async () => {
    const bystander = await login();
    const bad = await login();
    const received = collect(bad.socket);
    bad.socket.write(Buffer.from([FrontendCode.Query, 0, 0, 0, 2]));
    const fatal = fatalOf(await received);
    expect(fatal.code).toBe('08P01');
    expect(fatal.message).toContain('the client sent an invalid message: invalid length 2');
    await eventually(() => events.some((e) => e.type === 'pg.protocol-error' && e.side === 'client'));
    await bystander.write(encodeQuery('SELECT 2'));
    expect((await bystander.untilReady()).labels).toContain('DataRow');
    bystander.close();
  });

  it('answers an unknown message type and a truncated Bind with FATAL 08P01', async () => {
    for (const bytes of [
      new MessageBuilder().int32(1).build(0x7a),
      new MessageBuilder().cstring('').cstring('').int16(0).int16(1).int32(100).build(FrontendCode.Bind),
    ]) {
      const bad = await login();
      const received = collect(bad.socket);
      bad.socket.write(bytes);
      expect(fatalOf(await received).code).toBe('08P01');
    }
    await stillServes();
  });

  it('refuses garbage instead of a startup message and a replication connection', async () => {
    const garbage = connect({ host: proxy.host, port: proxy.port });
    const got = collect(garbage);
    garbage.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect(fatalOf(await got).message).toContain('invalid startup packet length');
    const repl = connect({ host: proxy.host, port: proxy.port });
    const got2 = collect(repl);
    repl.write(encodeStartup({ user: 'step', database: upstream.database, replication: 'database' }));
    expect(fatalOf(await got2)).toMatchObject({
      code: '0A000',
      message: expect.stringContaining('replication') as string,
    });
    await stillServes();
  });

  it('refuses the fast-path FunctionCall with 0A000 and keeps the session', async () => {
    const c = await login();
    await c.write(
      new MessageBuilder().int32(1598).int16(0).int16(0).int16(0).build(FrontendCode.FunctionCall),
    );
    const { frames } = await c.untilReady();
    expect(errorMessage(frames[0]!)).toMatch(/^0A000 guard pg proxy: the fast-path FunctionCall/);
    await c.write(encodeQuery('SELECT 3'));
    expect((await c.untilReady()).labels).toContain('DataRow');
    c.close();
  });
});

describe('bad input from the upstream', () => {
  it('ends the session with FATAL 08006 when the upstream drops, records it, and serves new sessions', async () => {
    const victim = await login();
    const received = collect(victim.socket);
    relay.cut();
    expect(fatalOf(await received)).toMatchObject({ code: '08006' });
    await eventually(() => events.some((e) => e.type === 'pg.upstream-error'));
    await stillServes();
  });

  it('sends nothing of a result whose rows are malformed, not even the rows before, and says why', async () => {
    const c = await login();
    const received = collect(c.socket);
    // Make the masked column claim more bytes than its DataRow holds.
    relay.transform = (chunk) => {
      const at = chunk.indexOf('ann@example.com');
      if (at >= 4) chunk.writeInt32BE(0x7fff0000, at - 4);
      return chunk;
    };
    await c.write(encodeQuery('SELECT id, email FROM secrets'));
    const bytes = await received;
    expect(bytes.includes('ann@example.com')).toBe(false);
    expect(fatalOf(bytes).message).toContain('the upstream database sent an invalid message');
    await eventually(() => events.some((e) => e.type === 'pg.protocol-error' && e.side === 'upstream'));
    relay.transform = (chunk) => chunk;
    await stillServes();
  });
});
