import { describe, expect, it } from 'vitest';
import { ScramClient } from './scram-client.js';
import { ScramServerExchange, createScramVerifier } from './scram-server.js';
import { md5PasswordResponse } from './md5.js';

describe('SCRAM-SHA-256', () => {
  it('logs a client in against the server side with the same password and proves the server back', () => {
    const verifier = createScramVerifier('s3cret-one-time', 4096);
    const client = new ScramClient('s3cret-one-time');
    const server = new ScramServerExchange(verifier);
    const first = server.serverFirstFor(client.clientFirst());
    expect(first.ok).toBe(true);
    const final = server.serverFinalFor(client.clientFinal(first.ok ? first.reply : Buffer.alloc(0)));
    expect(final.ok).toBe(true);
    expect(() => client.verifyServerFinal(final.ok ? final.reply : Buffer.alloc(0))).not.toThrow();
  });

  it('refuses a wrong password, and a client refuses a server that cannot prove the password', () => {
    const server = new ScramServerExchange(createScramVerifier('right', 4096));
    const client = new ScramClient('wrong');
    const first = server.serverFirstFor(client.clientFirst());
    const final = server.serverFinalFor(client.clientFinal(first.ok ? first.reply : Buffer.alloc(0)));
    expect(final).toEqual({ ok: false, reason: 'password authentication failed' });

    const impostor = new ScramServerExchange(createScramVerifier('other', 4096));
    const honest = new ScramClient('mine');
    const f1 = impostor.serverFirstFor(honest.clientFirst());
    honest.clientFinal(f1.ok ? f1.reply : Buffer.alloc(0));
    expect(() => honest.verifyServerFinal(Buffer.from('v=' + Buffer.alloc(32).toString('base64')))).toThrow(
      /server signature does not match/,
    );
  });

  it('refuses a client that asks for channel binding the loopback listener cannot give', () => {
    const server = new ScramServerExchange(createScramVerifier('x', 4096));
    expect(server.serverFirstFor(Buffer.from('p=tls-server-end-point,,n=,r=abc')).ok).toBe(false);
  });
});

describe('md5', () => {
  it('computes the value PostgreSQL expects', () => {
    // Independently computed: 'md5' + md5(md5('secret' + 'alice') + salt 01 02 03 04).
    expect(md5PasswordResponse('alice', 'secret', Buffer.from([1, 2, 3, 4]))).toBe(
      'md598a0412b9c31436fc53776e863350083',
    );
  });
});
