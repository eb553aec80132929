// The default pack, embedded so the server and the action can use it without the policies/ folder on
// disk (dist/ is a bundle). default-pack.test.ts keeps this text identical to default/guard-default.yml:
// edit the YAML, then paste it here.
import { parsePolicy } from './parse.js';
import { buildPolicySet } from './set.js';
import type { Policy, PolicySet } from './types.js';

export const DEFAULT_PACK_FILE = 'guard-default.yml';

export const DEFAULT_PACK_YAML = String.raw`# yaml-language-server: $schema=../schema.json
# guard's default pack: safe out of the box. Every job it governs is recorded (strict) and masked with
# every pack; deploy-like commands, migrations, publishing, host changes over SSH and destructive SQL
# need one approval from someone other than the actor, valid for one hour.
# It matches every owner: narrow "match" to your organization (ideally repository_owner_id) when you copy it.
kind: organization
name: guard-default
description: Secure defaults for every job guard governs; repository policies can only be stricter.
match:
  repository_owner: '*'
approvals:
  min: 1
  expire-after: 1h
  allow-self-approval: false
  # min-permission: not set. It needs the GitHub App to ask GitHub; without a reviewer list, a reviewer
  #   needs write access anyway.
  # pull-request-review-counts: not set, so false here and in every repository policy below this floor;
  #   say true in your copy to let repository policies opt in.
steps:
  - when:
      script-matches: '\b(terraform|tofu|terragrunt)\b[^\n]*\b(apply|destroy|import|taint|state\s+(rm|mv|push))\b'
    action: require-approval
    reason: infrastructure change (terraform apply/destroy) needs approval
  - when:
      script-matches: '\bkubectl\b[^\n]*\b(apply|create|delete|replace|patch|edit|scale|rollout|drain|cordon|set)\b|\bhelm\b[^\n]*\b(install|upgrade|uninstall|delete|rollback)\b|\bhelmfile\b[^\n]*\b(apply|sync|destroy)\b'
    action: require-approval
    reason: Kubernetes change (kubectl apply/delete, helm upgrade) needs approval
  - when:
      script-matches: '\bpulumi\b[^\n]*\b(up|destroy|import)\b|\b(cdk|serverless|sls)\b[^\n]*\b(deploy|destroy)\b|\baws\b[^\n]*\b(deploy|create-|update-|delete-|put-|terminate-|s3\s+(rm|rb|mv|sync|cp))|\bgcloud\b[^\n]*\b(deploy|create|update|delete)\b|\baz\b[^\n]*\b(deploy|create|update|delete)\b|\bansible-playbook\b|\bfly(ctl)?\s+deploy\b|\bvercel\b[^\n]*--prod\b'
    action: require-approval
    reason: cloud deployment needs approval
  - when:
      script-matches: '\b(flyway|liquibase)\b[^\n]*\b(migrate|update|clean|drop)\b|\b(rails|rake)\b[^\n]*\bdb:(migrate|drop|reset|schema:load)|\bprisma\s+migrate\s+deploy\b|\balembic\b[^\n]*\b(upgrade|downgrade)\b|\bmanage\.py\s+migrate\b'
    action: require-approval
    reason: database migration needs approval
  - when:
      script-matches: '\b(docker|podman)\s+push\b|\bnpm\s+publish\b|\bcargo\s+publish\b|\btwine\s+upload\b|\bgh\s+release\s+create\b'
    action: require-approval
    reason: publishing a release or image needs approval
  - when:
      name: ['*deploy*', '*Deploy*', '*DEPLOY*']
    action: require-approval
    reason: a step named as a deploy needs approval
  - when:
      kind: ssh
      script-matches: '\b(systemctl|service)\b[^\n]*\b(start|stop|restart|reload|enable|disable|kill|mask)\b|\b(shutdown|reboot|halt|poweroff)\b|\brm\s+-[A-Za-z]*[rR]|\b(dd|mkfs[.\w]*|fdisk|parted)\b|\b(apt|apt-get|yum|dnf)\s+(install|remove|upgrade|dist-upgrade)\b'
    action: require-approval
    reason: changing a remote host (services, packages, disks, recursive removal) needs approval
sql:
  - when: { statement: [drop, truncate, alter] }
    action: require-approval
    reason: destructive schema change (DROP, TRUNCATE, ALTER) needs approval
  - when: { statement: [delete, update], without-where: true }
    action: require-approval
    reason: UPDATE or DELETE without WHERE changes every row; needs approval
  - when: { statement: [grant, revoke] }
    action: require-approval
    reason: changing privileges needs approval
  - when: { statement: [do, call] }
    action: require-approval
    reason: procedural code (DO, CALL) can do anything; needs approval
  - when: { statement: copy, text-matches: '\bprogram\b' }
    action: block
    reason: COPY ... PROGRAM runs a shell command on the database server
# runners: absent, so on self-hosted runners any label and any workflow, no job approval, guard not required
# masking: absent, so every pack (secrets, pii-common, pii-br, pii-us, pii-eu)
recording: strict
`;

export function defaultPolicy(): Policy {
  return parsePolicy(DEFAULT_PACK_YAML, DEFAULT_PACK_FILE);
}

/** The default pack alone: every job gets a session under safe defaults (see docs/policies.md). */
export function defaultPolicySet(): PolicySet {
  return buildPolicySet([defaultPolicy()]);
}
