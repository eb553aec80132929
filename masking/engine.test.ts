// The match engine's shortcuts (keywords and key suffixes in two passes, literal hits dispatched by their
// first character, the e-mail rule's bounded look-back for a URL) must find what one pass per rule finds.
import { describe, expect, it } from 'vitest';
import { createMasker } from './masker.js';

const mask = (text: string): string => createMasker().maskText(text);

describe('match engine shortcuts', () => {
  it('finds a keyword and a key suffix that follow each other in one name', () => {
    expect(mask('SECRET_KEY=8fJ2kLm9Qx7vB3nR')).toBe('SECRET_KEY=[MASKED:secret-assignment]');
    expect(mask('my_token_key: 8fJ2kLm9Qx7vB3nR')).toBe('my_token_key: [MASKED:secret-assignment]');
    expect(mask('{"clientKey": "8fJ2kLm9Qx7vB3nR"}')).toBe('{"clientKey": "[MASKED:secret-assignment]"}');
    expect(mask('PasswordKey=8fJ2kLm9Qx7vB3nR')).toBe('PasswordKey=[MASKED:secret-assignment]');
  });

  it('tries every literal rule where several literals sit on one line', () => {
    const line =
      'curl -H "Authorization: Bearer abcdefghij0123456789" https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX?sig=abcdefghijklmnopqrstuvwxyz0123456789 postgres://app:hunter2pass@db:5432/x';
    const out = mask(line);
    expect(out).toContain('[MASKED:bearer-token]');
    expect(out).toContain('hooks.slack.com/[MASKED:slack-webhook]');
    expect(out).toContain('sig=[MASKED:azure-sas-signature]');
    expect(out).toContain('postgres://app:[MASKED:connection-string-password]@db');
    expect(out).not.toContain('hunter2pass');
  });

  it('tells URL credentials from an e-mail address however far the last URL is', () => {
    const far = `https://example.com/${'a'.repeat(300)} mail ops@example.com`;
    expect(mask(far)).toBe(`https://example.com/${'a'.repeat(300)} mail [MASKED:email]`);
    expect(mask('see https://example.com/x and ops@example.com')).toBe(
      'see https://example.com/x and [MASKED:email]',
    );
    expect(mask('git clone https://bot:x@github.com/acme/shop')).toBe(
      'git clone https://bot:[MASKED:connection-string-password]@github.com/acme/shop',
    );
    expect(mask(`${'b'.repeat(70000)} ops@example.com`)).toBe(`${'b'.repeat(70000)} [MASKED:email]`);
  });

  it('finds a number that follows one glued to a word in the same run of digits and separators', () => {
    expect(mask('build v1.854 4111 1111 1111 1111 ok')).toBe('build v1.854 [MASKED:card] ok');
    expect(mask('T.854 202.145.664-12 x')).toBe('T.854 [MASKED:cpf] x');
    expect(mask('id 550e8400-e29b-41d4-a716-446655440000 ok')).toBe(
      'id 550e8400-e29b-41d4-a716-446655440000 ok',
    );
  });
});
