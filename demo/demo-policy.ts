// The policy `guard demo` runs under: deploy-like steps need one approval from alice; the rest runs,
// recorded and masked. Written the way a platform team would write it.
export const DEMO_POLICY_FILE = 'demo.yml';

export const DEMO_POLICY = `# guard demo policy: see docs/policies.md for every field
kind: repository
name: demo-shop
match:
  repository: [octo-org/octo-repo]
approvals:
  reviewers: [alice]
  min: 1
  expire-after: 15m
  allow-self-approval: false
steps:
  - when: { script-matches: "deploy|terraform apply|kubectl" }
    action: require-approval
    reason: deploys to production need a second person
masking:
  packs: [secrets, pii-common, pii-br, pii-us, pii-eu]
recording: strict
`;

/** The demo repository's scripts, as a checkout would put them in the workspace. */
export const REPOSITORY_FILES: Record<string, string> = {
  'scripts/build.sh': `#!/usr/bin/env bash
echo "building octo-shop at $GITHUB_SHA"
echo "connecting with postgres://app:S3cr3t-Pa55w0rd@db.internal:5432/shop"
cat test/smoke-customers.txt
echo "build ok"
`,
  'test/smoke-customers.txt': `smoke test customer: maria.silva@example.com, CPF 529.982.247-25, card 4111 1111 1111 1111
`,
  'scripts/deploy.sh': `#!/usr/bin/env bash
echo "deploying octo-shop to production"
for i in 1 2 3; do echo "rolling out batch $i/3"; sleep 0.2; done
echo "debug: AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"
echo "deploy done"
`,
};

/** The workflow's guarded steps: \`run:\` and \`shell:\` as they would stand in the YAML. */
export const BUILD_STEP = { name: 'Build', run: './scripts/build.sh', shell: 'guard --name Build {0}' };
export const DEPLOY_STEP = {
  name: 'Deploy',
  run: './scripts/deploy.sh production',
  shell: 'guard --name Deploy {0}',
};
