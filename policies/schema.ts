// The one JSON Schema of a policy file: the loader validates with it, docs/policies.md documents it (a
// test checks every property is there) and editors complete with it (yaml-language-server modeline).
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import policySchema from './schema.json' with { type: 'json' };
import testSchema from './test-schema.json' with { type: 'json' };

export { policySchema, testSchema };

let policyValidator: ValidateFunction | undefined;
let testValidator: ValidateFunction | undefined;

function compile(schema: object): ValidateFunction {
  // allowUnionTypes: a claim pattern is "a string or a list of strings"; strict otherwise, so a typo in
  // the schema itself fails loudly instead of silently accepting everything.
  const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
  return ajv.compile(schema);
}

export function validatePolicyShape(data: unknown): ValidateFunction['errors'] {
  policyValidator ??= compile(policySchema);
  return policyValidator(data) ? null : policyValidator.errors;
}

export function validateTestShape(data: unknown): ValidateFunction['errors'] {
  testValidator ??= compile(testSchema);
  return testValidator(data) ? null : testValidator.errors;
}
