import { describe, expect, it } from 'vitest';
import { ScramClient } from './auth/scram-client.js';
import { createScramVerifier } from './auth/scram-server.js';
import { ClientLogin, type LoginStep } from './client-login.js';
import { decodeErrorFields } from './protocol/decode.js';
import { encodeSaslInitial, encodeSaslResponse, encodeSslRequest, encodeStartup } from './protocol/encode.js';
import { FrameReader } from './protocol/frame-reader.js';
import { ErrorField } from './protocol/message-codes.js';

const verifier = createScramVerifier('one-time', 4096);
const login = (): ClientLogin => new ClientLogin({ user: 'step', verifier, database: 'orders' });
const frame = (bytes: Buffer, untyped = false) => new FrameReader({ untypedFirst: untyped }).push(bytes)[0]!;
const failure = (step: LoginStep): string => {
  if (step.kind !== 'fail') throw new Error(`expected a refusal, got ${step.kind}`);
  const fields = decodeErrorFields(frame(step.reply).payload);
  return `${fields.find(([t]) => t === ErrorField.Code)?.[1]} ${fields.find(([t]) => t === ErrorField.Message)?.[1]}`;
};

describe('client login', () => {
  it('declines SSL and accepts the step credential over SCRAM-SHA-256', () => {
    const l = login();
    const ssl = l.step(frame(encodeSslRequest(), true));
    expect(ssl).toMatchObject({ kind: 'continue', untyped: true });
    expect(ssl.kind === 'continue' && ssl.reply.toString()).toBe('N');
    expect(
      l.step(frame(encodeStartup({ user: 'step', database: 'orders', application_name: 'psql' }), true)).kind,
    ).toBe('continue');
    const scram = new ScramClient('one-time');
    const first = l.step(frame(encodeSaslInitial('SCRAM-SHA-256', scram.clientFirst())));
    if (first.kind !== 'continue') throw new Error('no server-first');
    const serverFirst = frame(first.reply).payload.subarray(4);
    const done = l.step(frame(encodeSaslResponse(scram.clientFinal(serverFirst))));
    expect(done).toMatchObject({
      kind: 'done',
      params: { user: 'step', database: 'orders', application_name: 'psql' },
    });
  });

  it('refuses another user (28000), another database (3D000), a wrong password (28P01) and replication (0A000)', () => {
    expect(
      failure(login().step(frame(encodeStartup({ user: 'postgres', database: 'orders' }), true))),
    ).toMatch(/^28000 .*not this step's credential/);
    expect(failure(login().step(frame(encodeStartup({ user: 'step', database: 'billing' }), true)))).toMatch(
      /^3D000 .*opens database "orders" only/,
    );
    expect(
      failure(login().step(frame(encodeStartup({ user: 'step', replication: 'database' }), true))),
    ).toMatch(/^0A000 /);
    const l = login();
    l.step(frame(encodeStartup({ user: 'step' }), true));
    const wrong = new ScramClient('guess');
    const first = l.step(frame(encodeSaslInitial('SCRAM-SHA-256', wrong.clientFirst())));
    if (first.kind !== 'continue') throw new Error('no server-first');
    expect(
      failure(l.step(frame(encodeSaslResponse(wrong.clientFinal(frame(first.reply).payload.subarray(4)))))),
    ).toMatch(/^28P01 .*password authentication failed/);
  });
});
