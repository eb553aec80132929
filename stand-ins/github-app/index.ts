// The GitHub App side of the GitHub stand-in: an App (id, RSA key, bot user) with installations, the
// endpoints an App calls (installation tokens, check runs, comments, team membership, permissions,
// deployment protection rule callbacks) and webhook delivery to the App's webhook URL. Added to a running
// stand-in through its public `route()` API.
import { generateKeyPairSync } from 'node:crypto';
import type { GitHubStandIn } from '../github/index.js';
import { addAccessRoutes } from './access-routes.js';
import { AppAuthenticator } from './app-auth.js';
import { GitHubAppState, type Installation, type RepositoryRole } from './app-state.js';
import { addCheckRunRoutes } from './check-run-routes.js';
import { addCommentRoutes } from './comment-routes.js';
import { addDeploymentRoutes } from './deployment-routes.js';
import { addInstallationRoutes } from './installation-routes.js';
import { deliverWebhook, type DeliveryResult, type WebhookDelivery } from './webhook-sender.js';

export type {
  DeploymentReview,
  Installation,
  RepositoryRole,
  StoredCheckRun,
  StoredComment,
} from './app-state.js';
export { GitHubAppState } from './app-state.js';
export type { DeliveryResult, WebhookDelivery } from './webhook-sender.js';

export interface GitHubAppStandInOptions {
  appId?: number;
  slug?: string;
  /** The webhook secret GitHub signs deliveries with. */
  webhookSecret?: string;
  /** Installations to create (more with `install()`). */
  installations?: Installation[];
}

export interface GitHubAppStandIn {
  readonly appId: number;
  readonly slug: string;
  /** `<slug>[bot]`: the author of the App's comments. */
  readonly botLogin: string;
  /** The App's private key as GitHub hands it out (PKCS#1 PEM). */
  readonly privateKeyPem: string;
  readonly webhookSecret: string;
  readonly state: GitHubAppState;
  install(installation: Installation): void;
  setTeam(orgTeam: string, members: string[]): void;
  setPermission(repository: string, login: string, role: RepositoryRole): void;
  /** Sends a signed webhook to `url` (the App's webhook URL). */
  deliver(url: string, delivery: WebhookDelivery): Promise<DeliveryResult>;
}

export function addGitHubApp(github: GitHubStandIn, options: GitHubAppStandInOptions = {}): GitHubAppStandIn {
  const appId = options.appId ?? 424242;
  const slug = options.slug ?? 'guard';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const state = new GitHubAppState();
  const auth = new AppAuthenticator(appId, publicKeyPem, state);
  const botLogin = `${slug}[bot]`;
  const webhookSecret = options.webhookSecret ?? 'stand-in webhook secret';
  let hookId = 500_000_001;

  addInstallationRoutes(github, state, auth, slug);
  addCheckRunRoutes(github, state, auth);
  addCommentRoutes(github, state, auth, botLogin);
  addAccessRoutes(github, state, auth);
  addDeploymentRoutes(github, state, auth);

  const app: GitHubAppStandIn = {
    appId,
    slug,
    botLogin,
    privateKeyPem,
    webhookSecret,
    state,
    install(installation) {
      state.installations.set(installation.id, installation);
    },
    setTeam(orgTeam, members) {
      state.teams.set(orgTeam.replace(/^@/, '').toLowerCase(), new Set(members.map((m) => m.toLowerCase())));
    },
    setPermission(repository, login, role) {
      const key = repository.toLowerCase();
      const roles = state.permissions.get(key) ?? new Map<string, RepositoryRole>();
      roles.set(login.toLowerCase(), role);
      state.permissions.set(key, roles);
    },
    deliver: (url, delivery) => deliverWebhook(url, webhookSecret, hookId++, delivery),
  };
  for (const installation of options.installations ?? []) app.install(installation);
  return app;
}
