// Just enough of the Actions expression language for action.yml defaults and pre-if/post-if: context
// property reads (`github.token`, `runner.temp`, `env.X`...) and the status functions. Anything else is
// refused loudly rather than guessed. Pure.

export interface ExpressionContexts {
  github: Record<string, unknown>;
  runner: Record<string, unknown>;
  env: Record<string, string>;
  job: { status: 'success' | 'failure' | 'cancelled' };
}

export function evaluateTemplate(template: string, contexts: ExpressionContexts): string {
  return template.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) =>
    toText(evaluate(expression.trim(), contexts)),
  );
}

/** Evaluates a condition such as `always()`, `success()`, `!cancelled()` (pre-if / post-if). */
export function evaluateCondition(condition: string, contexts: ExpressionContexts): boolean {
  const expression = condition
    .trim()
    .replace(/^\$\{\{(.*)\}\}$/s, '$1')
    .trim();
  return Boolean(evaluate(expression, contexts));
}

function evaluate(expression: string, contexts: ExpressionContexts): unknown {
  if (expression.startsWith('!')) return !evaluate(expression.slice(1).trim(), contexts);
  switch (expression) {
    case 'always()':
      return true;
    case 'success()':
      return contexts.job.status === 'success';
    case 'failure()':
      return contexts.job.status === 'failure';
    case 'cancelled()':
      return contexts.job.status === 'cancelled';
  }
  if (/^'.*'$/s.test(expression)) return expression.slice(1, -1).replace(/''/g, "'");
  const match = /^(github|runner|env)\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression);
  if (match === null) {
    throw new TypeError(
      `the runner stand-in cannot evaluate the expression '${expression}'; use a context read such as github.token`,
    );
  }
  const [, context = '', key = ''] = match;
  const source: Record<string, unknown> = contexts[context as 'github' | 'runner' | 'env'];
  return source[key] ?? '';
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value ?? '');
}
