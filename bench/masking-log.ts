// A synthetic but realistic GitHub Actions log for the masking benchmark: runner timestamps on every
// line, npm/vitest/docker/git/terraform output, ANSI colours, SHAs, UUIDs, URLs, sizes and durations, and
// a sprinkling of the things guard masks (so the slow paths run too). Deterministic for a given seed.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function ciLog(bytes: number, seed = 42): string {
  const r = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
  const hex = (n: number) =>
    Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
  const int = (n: number) => Math.floor(r() * n);
  const pkgs = [
    'react',
    'lodash',
    '@types/node',
    'typescript',
    'vitest',
    'esbuild',
    'eslint',
    '@octokit/rest',
    'pg',
    'zod',
  ];
  const makers: (() => string)[] = [
    () =>
      `npm http fetch GET 200 https://registry.example.org/${pick(pkgs)} ${int(900)}ms (cache revalidated)`,
    () => `added ${int(1500)} packages, and audited ${int(1600)} packages in ${int(60)}s`,
    () =>
      `\x1b[32m✓\x1b[39m src/${pick(['parser', 'server', 'auth', 'db'])}/${pick(['index', 'util', 'core'])}.test.ts \x1b[2m(${int(40)} tests)\x1b[22m \x1b[33m${int(3000)}ms\x1b[39m`,
    () => `\x1b[1m\x1b[31mFAIL\x1b[39m\x1b[22m test/integration.test.ts > handles retry ${int(10)}`,
    () => `#${int(30)} [builder ${int(9)}/${int(12)}] RUN npm ci --omit=dev`,
    () =>
      `#${int(30)} sha256:${hex(64)} ${(r() * 100).toFixed(1)}MB / ${(r() * 200).toFixed(1)}MB ${(r() * 10).toFixed(1)}s`,
    () => `HEAD is now at ${hex(7)} Merge pull request #${int(5000)} from acme/feature-${int(900)}`,
    () => `From https://github.com/acme/shop\n * branch            ${hex(40)} -> FETCH_HEAD`,
    () =>
      `  ${pick(['aws_instance', 'aws_s3_bucket', 'google_sql_database'])}.${pick(['web', 'api', 'db'])}: Refreshing state... [id=${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}]`,
    () => `Downloading ${pick(pkgs)}-${int(9)}.${int(20)}.${int(30)}.tgz (${int(900)} kB)`,
    () => `webpack ${int(6)}.${int(90)}.${int(9)} compiled successfully in ${int(30000)} ms`,
    () =>
      `    at Object.<anonymous> (/home/runner/work/shop/shop/src/${pick(['a', 'b', 'c'])}.js:${int(400)}:${int(80)})`,
    () => `Run actions/cache@v4 with key: node-cache-Linux-x64-npm-${hex(64)}`,
    () => `Cache restored from key: node-cache-Linux-x64-npm-${hex(64)}`,
    () => `[INFO] Build #${1000000000000000 + int(1e9)} started by ci-bot, commit ${hex(40)}`,
    () =>
      `info: request id=${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)} status=200 duration=${int(500)}ms bytes=${int(1e7)}`,
    () =>
      `Uploading artifact 'dist' (${int(1e9)} bytes) to ${pick(['https://results.example.net/upload', 'blob://x'])}?sig=${hex(8)}`,
    () => `::group::Run ${pick(['npm test', 'make build', 'terraform plan'])}`,
    () => `::endgroup::`,
    () => `Processed ${int(100)}% (${int(10000)}/${int(10000)}) files, ETA ${int(60)}s`,
    () =>
      `${' '.repeat(int(8))}${pick(['const', 'let', 'return', 'if'])} value = compute(${int(100)}, "${hex(6)}");`,
    () =>
      `Notify ${pick(['alice', 'bob', 'carol'])}.${pick(['smith', 'jones'])}@example.com: deploy ${hex(7)} ok`,
    () => `charge ok for card 4111 1111 1111 1111 (customer cpf 123.456.789-09)`,
    () => `DATABASE_URL=postgres://app:${hex(16)}@db.internal:5432/shop`,
  ];
  // Weights: mostly ordinary lines; the last four (personal data, credentials) are rare.
  const lines: string[] = [];
  let size = 0;
  let t = Date.UTC(2026, 0, 15, 10, 0, 0);
  while (size < bytes) {
    const index = r() < 0.98 ? int(makers.length - 3) : makers.length - 3 + int(3);
    t += int(900);
    const line = `${new Date(t).toISOString().replace('Z', '0000Z')} ${makers[index]!()}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}
