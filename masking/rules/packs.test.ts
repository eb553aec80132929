import { describe, expect, it } from 'vitest';
import { createMasker } from '../masker.js';

const mask = (text: string, packs?: string[]) =>
  createMasker(packs === undefined ? {} : { packs }).maskText(text);

describe('secrets pack', () => {
  const positives: [string, string][] = [
    ['aws-access-key', 'key AKIAIOSFODNN7EXAMPLE here'],
    ['aws-access-key', 'ASIAY34FZKBOKMUTVV7A'],
    ['github-token', 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'],
    ['github-token', 'url https://x-access-token:ghs_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789@github.com'],
    ['github-token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX'],
    ['gitlab-token', 'glpat-aBcDeFgHiJkLmNoPqRsT'],
    ['slack-token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
    ['slack-webhook', 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['stripe-key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['npm-token', '//registry/:_authToken=npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'],
    ['google-api-key', 'AIzaSyA-1234567890abcdefghijklmnopqrstu'],
    ['openai-key', 'OPENAI_API_KEY=sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'],
    ['anthropic-key', 'x-api-key: sk-ant-api03-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8-AA'],
    ['huggingface-token', 'huggingface-cli login --token hf_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7'],
    ['sendgrid-key', 'SG.A1b2C3d4E5f6G7h8I9j0K1.A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8A1b2C3d'],
    [
      'jwt',
      'Authorization eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ],
    ['connection-string-password', 'postgres://admin:s3cr3tP4ss@db.example.com:5432/app'],
    ['bearer-token', 'curl -H "Authorization: Bearer abcdefghijklmnop1234567890"'],
    ['authorization-header', '> Authorization: Basic dXNlcjpwYXNzd29yZA=='],
    ['secret-assignment', 'export API_KEY=8fJ2kLm9Qx7vB3nR'],
    ['secret-assignment', '{"client_secret": "Zq8-x7Yw6-Vu5T"}'],
    ['secret-assignment', 'DB_PASSWORD: P@ssw0rd-Xq9!'],
    ['secret-assignment', 'AccountKey=abcDEF123ghiJKL456mnoPQR789=='],
    ['cli-password', 'curl -fsS -u deploy:S3cretPassw0rd https://api.example.com/hook'],
    ['cli-password', 'curl -u\tdeploy:S3cretPassw0rd https://api.example.com/hook'],
    ['cli-password', 'docker run -u=deploy:S3cretPassw0rd image'],
    ['cli-password', 'mysqldump -h db -uroot -pS3cretPassw0rd shop > dump.sql'],
    ['cli-password', 'docker login -u bot -p S3cretPassw0rd registry.example.com'],
    ['cli-password', 'helm registry login ghcr.io --username bot --password "S3cret Passw0rd"'],
    ['cli-password', 'sshpass -p hunter2 ssh deploy@10.0.0.5'],
    ['cli-password', 'gpg --batch --passphrase s3cr3t-phrase --decrypt key.gpg'],
    ['cli-password', 'openssl pkcs12 -export -passout pass:S3cretPw -out bundle.p12'],
    ['cli-password', 'keytool -importkeystore -srcstorepass S3cret -deststorepass S3cret'],
    ['secret-assignment', 'kubectl create secret generic db --from-literal=password=S3cret'],
    // Chosen by people, not generated: a name that says password is enough.
    ['secret-assignment', 'export DB_PASSWORD=hunter2hunter2'],
    ['secret-assignment', 'passphrase: correcthorsebatterystaple'],
    ['secret-assignment', 'PGPASSWORD=postgres123'],
    [
      'azure-sas-signature',
      'https://acct.blob.core.windows.net/c?sv=2022&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789%3D',
    ],
  ];
  it.each(positives)('masks %s in %s', (type, text) => {
    const out = mask(text, ['secrets']);
    expect(out).toContain(`[MASKED:${type}]`);
  });

  it('masks only the value of a command-line password, quoted or not', () => {
    expect(mask('curl -u deploy:S3cretPassw0rd https://x.example')).toBe(
      'curl -u deploy:[MASKED:cli-password] https://x.example',
    );
    expect(mask('mysql -uroot -pS3cret shop')).toBe('mysql -uroot -p[MASKED:cli-password] shop');
    expect(mask("docker login -u bot --password 'two words' ghcr.io")).toBe(
      "docker login -u bot --password '[MASKED:cli-password]' ghcr.io",
    );
    expect(mask('DB_PASSWORD="correct horse battery staple"')).toBe(
      'DB_PASSWORD="[MASKED:secret-assignment]"',
    );
  });

  it('keeps the user and host of a connection string readable', () => {
    expect(mask('postgres://admin:s3cr3tP4ss@db.example.com:5432/app')).toBe(
      'postgres://admin:[MASKED:connection-string-password]@db.example.com:5432/app',
    );
  });

  const negatives = [
    'Cache restored from key: node-cache-Linux-x64-npm-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    'token: ${{ secrets.GITHUB_TOKEN }}',
    'SECRET_NAME=prod-db-credentials',
    'password: changeme',
    'AWS_ACCESS_KEY_ID_FILE=/run/secrets/aws',
    'PASSWORD_FILE=/run/secrets/db',
    'the tokenizer = fast',
    'AKIAIOSFODNN7EXAMPL (too short)',
    'xghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 (inside a word)',
    'git@github.com:acme/shop.git',
    'https://example.com/path?x=1',
    'secret_key_id=abc',
    'PASSWORD_MIN_LENGTH=12345678',
    'password_policy: strict-mode',
    'DB_PASSWORD=${DB_PASSWORD}',
    'Password: ********',
    'PasswordAuthentication no',
    'echo "$PASSWORD" | docker login --password-stdin',
    'FATAL: password authentication failed for user "app"',
    'password=xxxxxxxxxxxx',
    'mkdir -p /tmp/build/cache',
    'pip install scikit-learn sk-video && ./task-sk-1234',
    'SG.1 passed, hf_cache hit',
    'password: string;',
    'openssl rsa -passin env:KEY_PASS -in key.pem',
    'ls -pla /tmp',
    'docker run -p 8080:80 -u 1000:1000 nginx',
    'mysql -h db -u root -p shop',
    'echo "$TOKEN" | docker login -u bot --password-stdin ghcr.io',
    'curl -u "$API_USER:$API_TOKEN" https://api.example.com',
    'ssh -p 2222 deploy@10.0.0.5',
    'gpg --passphrase-file /run/secrets/gpg --decrypt key.gpg',
    'docker login -u bot -p "${{ secrets.REGISTRY_TOKEN }}" ghcr.io',
    // Other names still need a value that looks generated.
    'secret_scanning: disabled',
  ];
  it.each(negatives)('leaves %s alone', (text) => {
    expect(mask(text)).toBe(text);
  });

  it('masks a private key block inside one line and across lines', () => {
    const escaped =
      '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n", "x": 1}';
    expect(mask(escaped)).toBe('{"private_key": "[MASKED:private-key]\\n", "x": 1}');
    const block =
      'before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\nafter\n';
    expect(mask(block)).toBe(
      'before\n[MASKED:private-key]\n[MASKED:private-key]\n[MASKED:private-key]\n[MASKED:private-key]\nafter\n',
    );
  });

  it('stops masking a key block that never ends at the first line that is not key material', () => {
    const text = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nerror: truncated key\nnext step\n';
    expect(mask(text)).toBe('[MASKED:private-key]\n[MASKED:private-key]\nerror: truncated key\nnext step\n');
  });
});

describe('pii-common pack', () => {
  it('masks e-mail addresses but not SSH remotes or package specs', () => {
    expect(mask('mail john.doe+ci@mail.example.co.uk now', ['pii-common'])).toBe('mail [MASKED:email] now');
    for (const text of [
      'git@github.com:acme/shop.git',
      'npm i @types/node@20.1.0',
      'uses: actions/checkout@v4',
      'image nginx@sha256:abc',
    ]) {
      expect(mask(text, ['pii-common'])).toBe(text);
    }
  });

  it('masks payment cards in the usual groupings when Luhn and issuer agree', () => {
    expect(mask('4111 1111 1111 1111', ['pii-common'])).toBe('[MASKED:card]');
    expect(mask('card=5555-5555-5555-4444;', ['pii-common'])).toBe('card=[MASKED:card];');
    expect(mask('amex 3782 822463 10005', ['pii-common'])).toBe('amex [MASKED:card]');
    expect(mask('build 4111111111111112 and 1705312345678903', ['pii-common'])).toBe(
      'build 4111111111111112 and 1705312345678903',
    );
  });

  it('masks phone numbers in international, North American and Brazilian forms', () => {
    expect(mask('call +55 11 91234-5678', ['pii-common'])).toBe('call [MASKED:phone]');
    expect(mask('call +1 (415) 555-2671', ['pii-common'])).toBe('call [MASKED:phone]');
    expect(mask('call (415) 555-2671 or 415-555-2671', ['pii-common'])).toBe(
      'call [MASKED:phone] or [MASKED:phone]',
    );
    expect(mask('ligue (11) 91234-5678', ['pii-common'])).toBe('ligue [MASKED:phone]');
    expect(mask('date 2024-01-15 ip 192.168.100.200 v1.2.3', ['pii-common'])).toBe(
      'date 2024-01-15 ip 192.168.100.200 v1.2.3',
    );
  });
});

describe('pii-br, pii-us, pii-eu packs', () => {
  it('masks CPF and CNPJ only with valid check digits', () => {
    expect(mask('cpf 529.982.247-25 / 52998224725', ['pii-br'])).toBe('cpf [MASKED:cpf] / [MASKED:cpf]');
    expect(mask('cnpj 11.222.333/0001-81', ['pii-br'])).toBe('cnpj [MASKED:cnpj]');
    expect(mask('cpf 529.982.247-26 cnpj 11.222.333/0001-82 id 11111111111', ['pii-br'])).toBe(
      'cpf 529.982.247-26 cnpj 11.222.333/0001-82 id 11111111111',
    );
  });

  it('masks SSNs outside the never-issued ranges', () => {
    expect(mask('ssn 123-45-6789', ['pii-us'])).toBe('ssn [MASKED:ssn]');
    expect(mask('ssn 666-45-6789 900-12-3456 123-00-6789 000-12-3456', ['pii-us'])).toBe(
      'ssn 666-45-6789 900-12-3456 123-00-6789 000-12-3456',
    );
  });

  it('masks IBANs, compact or grouped, when mod-97 holds', () => {
    expect(mask('iban DE89 3704 0044 0532 0130 00, ok', ['pii-eu'])).toBe('iban [MASKED:iban], ok');
    expect(mask('GB82WEST12345698765432 GB82WEST12345698765433', ['pii-eu'])).toBe(
      '[MASKED:iban] GB82WEST12345698765433',
    );
    expect(mask('FR1420041010050500013M02606 NEXT', ['pii-eu'])).toBe('[MASKED:iban] NEXT');
  });

  it('only runs the packs asked for', () => {
    const text = 'ssn 123-45-6789 cpf 529.982.247-25 mail a.b@example.com';
    expect(mask(text, ['pii-us'])).toBe('ssn [MASKED:ssn] cpf 529.982.247-25 mail a.b@example.com');
    expect(mask(text, [])).toBe(text);
  });
});
