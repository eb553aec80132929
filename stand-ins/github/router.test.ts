import { describe, expect, it } from 'vitest';
import { Router } from './router.js';
import { parseBlockList } from './blob-storage.js';

describe('Router', () => {
  const ok = () => ({ status: 200 });

  it('matches params, a trailing *rest and HEAD on GET routes', () => {
    const router = new Router();
    router.add('GET', '/repos/:owner/:repo/actions/runs/:run_id/artifacts', ok);
    router.add('PUT', '/acct/:container/*blob', ok);
    expect(router.match('GET', '/repos/acme/shop/actions/runs/7/artifacts')).toMatchObject({
      kind: 'found',
      params: { owner: 'acme', repo: 'shop', run_id: '7' },
    });
    expect(router.match('HEAD', '/repos/acme/shop/actions/runs/7/artifacts').kind).toBe('found');
    expect(router.match('PUT', '/acct/c/run/job/a%20b.zip')).toMatchObject({
      params: { container: 'c', blob: 'run/job/a b.zip' },
    });
    expect(router.match('GET', '/repos/acme/shop/actions/runs/7')).toEqual({ kind: 'not-found' });
    expect(router.match('DELETE', '/repos/acme/shop/actions/runs/7/artifacts')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['GET'],
    });
  });

  it('lets a later route override an earlier one (tests replace a default answer)', () => {
    const router = new Router();
    const first = () => ({ status: 200 });
    const second = () => ({ status: 500 });
    router.add('GET', '/x/:id', first);
    router.add('GET', '/x/:id', second);
    const match = router.match('GET', '/x/1');
    expect(match.kind === 'found' && match.handler).toBe(second);
  });

  it('refuses a * segment that is not last', () => {
    expect(() => new Router().add('GET', '/a/*rest/b', ok)).toThrow(TypeError);
  });
});

describe('parseBlockList', () => {
  it('keeps block order across Latest/Committed/Uncommitted', () => {
    expect(
      parseBlockList(
        '<BlockList><Latest>a</Latest><Committed>b</Committed><Uncommitted>c</Uncommitted></BlockList>',
      ),
    ).toEqual(['a', 'b', 'c']);
  });
});
