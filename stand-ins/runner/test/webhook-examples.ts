// GitHub's published webhook payloads (@octokit/webhooks-examples, a devDependency: tests only). Read with
// JSON.parse rather than imported, because the 4 MB index is slow through the test transform.
import { readFile } from 'node:fs/promises';

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown>>;
}

let cache: Promise<ExampleGroup[]> | undefined;

export async function webhookExample(event: string, index = 0): Promise<Record<string, unknown>> {
  cache ??= readFile(
    new URL('../../../node_modules/@octokit/webhooks-examples/api.github.com/index.json', import.meta.url),
    'utf8',
  ).then((text) => JSON.parse(text) as ExampleGroup[]);
  const example = (await cache).find((group) => group.name === event)?.examples[index];
  if (example === undefined) throw new TypeError(`no published example #${index} for the '${event}' webhook`);
  return example;
}
