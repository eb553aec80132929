// guard's policy engine, pure parts: parse, layer, match, decide. Reading a folder is in load.ts.
export type * from './types.js';
export { SQL_CLASSES, MASKING_PACKS, MATCH_CLAIMS, REPOSITORY_PERMISSIONS } from './types.js';
export { parsePolicy, policyVersion } from './parse.js';
export { buildPolicySet, policySetFromTexts } from './set.js';
export { resolvePolicy, layer } from './match.js';
export { decideStep, decideSql } from './decide.js';
export { checkRunnerGates } from './runners.js';
export { globMatch } from './glob.js';
export { parseDuration, formatDuration } from './duration.js';
