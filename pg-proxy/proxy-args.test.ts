import { describe, expect, it } from 'vitest';
import { parseListen, parseProxyPgArgs, parseUpstreamUrl } from './proxy-args.js';

describe('guard proxy pg arguments', () => {
  it('parses the upstream URL, taking the password from PGPASSWORD when the URL has none', () => {
    expect(
      parseUpstreamUrl('postgresql://app@db.internal:6543/orders?sslmode=verify-full&sslrootcert=/ca.pem', {
        PGPASSWORD: 'pw',
      }),
    ).toEqual({
      host: 'db.internal',
      port: 6543,
      user: 'app',
      password: 'pw',
      database: 'orders',
      ssl: { mode: 'verify-full' },
      caFile: '/ca.pem',
    });
    expect(parseUpstreamUrl('postgres://a%40b:p%2Fw@h/d', {})).toMatchObject({
      user: 'a@b',
      password: 'p/w',
      port: 5432,
    });
  });

  it('refuses upstream settings it cannot honour, without echoing the password', () => {
    expect(() => parseUpstreamUrl('postgresql://a:s3cret@h/d?sslmode=prefer', {})).toThrow(
      /sslmode=prefer is not supported/,
    );
    expect(() => parseUpstreamUrl('postgresql://a@h/d?sslmode=verify-full', {})).toThrow(/needs sslrootcert/);
    expect(() => parseUpstreamUrl('postgresql://h/d', {})).toThrow(/needs a user, a host and a database/);
    expect(() => parseUpstreamUrl('mysql://a:s3cret@h/d', {})).toThrow(/postgresql:\/\/ URL/);
    try {
      parseUpstreamUrl('not a url :s3cret@', {});
    } catch (error) {
      expect(String(error)).not.toContain('s3cret');
    }
  });

  it('listens on loopback only', () => {
    expect(parseListen('6432')).toEqual({ host: '127.0.0.1', port: 6432 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListen('0.0.0.0:6432')).toThrow(/not a loopback address/);
    expect(() => parseListen('127.0.0.1:99999')).toThrow(/not a port number/);
  });

  it('requires --listen and --upstream and rejects unknown flags', () => {
    expect(() => parseProxyPgArgs(['--upstream', 'postgresql://a@h/d'], {})).toThrow(/--listen is required/);
    expect(() =>
      parseProxyPgArgs(['--listen', '0', '--upstream', 'postgresql://a@h/d', '--verbose'], {}),
    ).toThrow(/unknown argument '--verbose'/);
    expect(
      parseProxyPgArgs(
        ['--listen=127.0.0.1:0', '--upstream', 'postgresql://a@h/d', '--mask-columns', 'a.b, *.email'],
        {},
      ),
    ).toMatchObject({ maskColumns: ['a.b', '*.email'], listen: { host: '127.0.0.1', port: 0 } });
  });
});
