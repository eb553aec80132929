// Workflow commands on stdout/stderr (`::name key=value,k2=v2::data`), parsed the way the runner's
// ActionCommand.TryParseV2 does, with its escaping (%25 %0D %0A, and %3A %2C in properties). Pure.

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
}

export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const trimmed = line.trimStart();
  if (!trimmed.startsWith('::')) return undefined;
  const end = trimmed.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = trimmed.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (command === '') return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value !== '') properties[key] = unescapeProperty(value);
    }
  }
  return { command, properties, data: unescapeData(trimmed.slice(end + 2)) };
}

export function unescapeData(value: string): string {
  return value.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

export function unescapeProperty(value: string): string {
  return value
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');
}
