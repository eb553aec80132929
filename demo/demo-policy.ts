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

export const BUILD_SCRIPT = `echo "building octo-shop at $GITHUB_SHA"
echo "connecting with postgres://app:S3cr3t-Pa55w0rd@db.internal:5432/shop"
echo "smoke test customer: maria.silva@example.com, CPF 529.982.247-25, card 4111 1111 1111 1111"
echo "build ok"
`;

export const DEPLOY_SCRIPT = `echo "deploying octo-shop to production"
for i in 1 2 3; do echo "rolling out batch $i/3"; sleep 0.2; done
echo "AWS key in a debug line: AKIAIOSFODNN7EXAMPLE"
echo "deploy done"
`;
