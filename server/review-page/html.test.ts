import { describe, expect, it } from 'vitest';
import { escapeHtml, html, unsafeRaw } from './html.js';

describe('html template', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const out = html`<p title="${hostile}">${hostile}</p>`.toString();
    expect(out).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('nests Html without escaping it twice, joins arrays, and drops null, undefined and false', () => {
    const items = ['a<b', 'c&d'].map((text) => html`<li>${text}</li>`);
    // prettier-ignore
    const out = html`<ul>${items}</ul>${null}${undefined}${false}${0}`.toString();
    expect(out).toBe('<ul><li>a&lt;b</li><li>c&amp;d</li></ul>0');
  });

  it('leaves only what the caller marked raw unescaped', () => {
    expect(html`${unsafeRaw('<b>')}${'<b>'}`.toString()).toBe('<b>&lt;b&gt;');
    expect(escapeHtml('plain text 123')).toBe('plain text 123');
  });
});
