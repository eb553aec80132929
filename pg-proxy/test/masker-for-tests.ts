// The masker the integration tests run the proxy with: guard's real masker (masking/masker.ts).

import { createMasker } from '../../masking/masker.js';

export function testMasker(secrets: readonly string[] = []): (text: string) => string {
  const masker = createMasker({ secrets });
  return (text) => masker.maskText(text);
}
