// A step's recording as the bundled action writes it (`shell: guard {0}` under the runner stand-in), played
// in the real asciinema-player in headless Chromium: the player reads the file with its chain comment lines,
// shows the masked output with its colours, puts the approval markers on the timeline and plays to the end.
// This is what a reviewer or an auditor does with a recording from an audit bundle.
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardServerClient } from '../../client/server-api.js';
import { createRunnerJob, type RunnerJob } from '../../stand-ins/runner/index.js';
import { hasChromium, launchChromium, type Browser } from '../../test/support/chromium.js';
import { startStack, type Stack } from '../../test/support/stack.js';

const actionDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const playerDir = join(actionDir, 'node_modules/asciinema-player/dist/bundle');

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="/player.css"></head>
<body><div id="player"></div>
<script src="/player.js"></script>
<script>
  window.seen = [];
  window.errors = [];
  window.addEventListener('error', (e) => window.errors.push(String(e.message)));
  const player = AsciinemaPlayer.create('/step.cast', document.getElementById('player'), {
    autoPlay: true, speed: 20, idleTimeLimit: 0.2, cols: 100, rows: 20,
  });
  for (const name of ['ready', 'play', 'marker', 'ended', 'error']) {
    player.addEventListener(name, () => window.seen.push(name));
  }
  window.player = player;
</script></body></html>`;

describe.runIf(hasChromium)('a recording in asciinema-player', () => {
  let stack: Stack;
  let job: RunnerJob;
  let browser: Browser;
  let server: Server;
  let cast = '';

  beforeAll(async () => {
    stack = await startStack();
    job = await createRunnerJob({
      standIn: stack.github,
      actionDir,
      inputs: { server: stack.server.url },
      claims: { run_id: String(41_000_000_000 + Math.floor(Math.random() * 1e9)) },
    });
    expect((await job.runMain()).exitCode).toBe(0);
    const reviewer = new GuardServerClient(stack.server.url, await stack.reviewerToken('alice'));
    // The demo policy holds a deploy for one approval: the recording gets the request and decision markers.
    const running = job.runStep({
      name: 'Deploy',
      run: [
        `printf '\\033[32mmigrations ok\\033[0m\\n'`,
        'echo "charged card 4111 1111 1111 1111 for maria@example.com"',
        'echo deploy finished',
      ].join('\n'),
      shell: 'guard --name Deploy {0}',
    });
    let pending;
    for (let i = 0; i < 200 && pending === undefined; i++) {
      pending = (await reviewer.listPending()).approvals.find((a) => a.runId === job.claims.run_id);
      if (pending === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    if (pending === undefined) throw new Error('the deploy was not held for approval');
    await reviewer.decide(pending.id, 'approve', 'CHG-7');
    const result = await running;
    expect(result.exitCode, result.log).toBe(0);

    const steps = join(
      job.env.RUNNER_TEMP ?? '',
      'guard',
      job.outputs()['session-id'] ?? '',
      'record',
      'steps',
    );
    const files = (await readdir(steps)).filter((name) => name.endsWith('.cast')).sort();
    cast = await readFile(join(steps, files.at(-1) ?? ''), 'utf8');

    const assets: Record<string, [string, string]> = {
      '/': [PAGE, 'text/html; charset=utf-8'],
      '/player.js': [await readFile(join(playerDir, 'asciinema-player.min.js'), 'utf8'), 'text/javascript'],
      '/player.css': [await readFile(join(playerDir, 'asciinema-player.css'), 'utf8'), 'text/css'],
      '/step.cast': [cast, 'application/x-asciicast'],
    };
    server = createServer((req, res) => {
      const asset = assets[req.url ?? ''];
      res.writeHead(asset ? 200 : 404, { 'content-type': asset?.[1] ?? 'text/plain' });
      res.end(asset?.[0] ?? 'not found');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    browser = await launchChromium();
  }, 60_000);

  /** Opens the player page and waits until the player says it ended or failed (a broken file errors). */
  async function playToEnd() {
    const page = await browser.context.newPage();
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(
      () =>
        ['ended', 'error'].some((name) => (globalThis as unknown as { seen: string[] }).seen.includes(name)),
      null,
      { timeout: 20_000 },
    );
    return page;
  }

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    await job?.cleanup();
    await stack?.close();
  });

  it('plays to the end and shows the masked output, never the card or the address', async () => {
    // The file really has what the player must step over and what it must show.
    expect(cast.split('\n')[0]).toMatch(/^\{"version":3,/);
    expect(cast).toMatch(/^#chain /m);
    expect(cast).not.toContain('4111 1111 1111 1111');

    const page = await playToEnd();
    const state = await page.evaluate(() => {
      const w = globalThis as unknown as {
        seen: string[];
        errors: string[];
        player: { getDuration(): number };
      };
      return { seen: w.seen, errors: w.errors, duration: w.player.getDuration() };
    });
    expect(state.errors).toEqual([]);
    expect(state.seen).not.toContain('error');
    expect(state.duration).toBeGreaterThan(0);

    const screen = await page.locator('.ap-term-text').innerText();
    expect(screen).toContain('migrations ok');
    expect(screen).toContain('[MASKED:card]');
    expect(screen).toContain('[MASKED:email]');
    expect(screen).toContain('deploy finished');
    expect(screen).not.toContain('4111');
    expect(screen).not.toContain('maria@');
    // Colour codes reached the terminal as colour, not as text.
    expect(screen).not.toContain('[32m');
    await page.close();
  });

  it('puts a marker on the timeline for each approval event in the recording', async () => {
    const markers = cast
      .split('\n')
      .filter((line) => line.startsWith('['))
      .map((line) => JSON.parse(line) as [number, string, string])
      .filter(([, code]) => code === 'm')
      .map(([, , label]) => label);
    expect(markers.some((label) => /^approval \S+ requested$/.test(label))).toBe(true);
    expect(markers.some((label) => /^approval \S+ approved$/.test(label))).toBe(true);

    const page = await playToEnd();
    // The control bar shows one marker per `m` event, each titled with its label on hover.
    await expect.poll(() => page.locator('.ap-marker-container').count()).toBe(markers.length);
    const passed = await page.evaluate(
      () => (globalThis as unknown as { seen: string[] }).seen.filter((name) => name === 'marker').length,
    );
    expect(passed).toBe(markers.length);
    await page.close();
  });
});
