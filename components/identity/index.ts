import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { allServiceAccounts, envNames, identityBlueprint, identityEnvNames, oidcApps, providedEnvNames } from "../../lib/identity/authentik";
import { renderBlueprint } from "../../lib/identity/blueprint";
import type { AppRecord } from "../../lib/catalog/types";

export interface IdentityArgs {
  domain: string;
  /** The app catalog: applications, providers and client secrets derive from it. */
  apps: readonly AppRecord[];
  /** Where user and group changes are posted (story 3.3.4). */
  provisioningWebhookUrl: string;
  /**
   * Rotation counters by variable name (e.g. HOMELAB_TOKEN_CI_GITHUB: 2): raising one generates
   * a new value for that secret only (`homelab:secretGenerations`; the config check refuses a
   * name the identity layer does not generate, before any resource).
   */
  generations?: Readonly<Record<string, number>>;
  /** ntfy token for the security alerts (the alerting token, `homelab:alertingNtfyToken`). */
  ntfyToken: pulumi.Input<string>;
}

/**
 * Authentik's configuration as code (epic 3.3): the blueprint rendered from the catalog, and the
 * secrets it reads with `!Env` (OIDC client secrets, service-account tokens, webhook secret),
 * generated here. The blueprint is plain; the secrets travel only in the management VM's secret
 * bundle and in secret stack outputs for the apps' side.
 */
export class Identity extends pulumi.ComponentResource {
  /** Blueprint files by name, for the Authentik worker's blueprint directory. */
  readonly blueprints: Record<string, string>;
  /** Every `!Env` variable with its value (secret). */
  readonly environment: pulumi.Output<Record<string, string>>;
  /** OIDC client secret per app (secret): the platform puts each into the app's Kubernetes secret. */
  readonly oidcClientSecrets: pulumi.Output<Record<string, string>>;
  /** API token per service account (secret). */
  readonly serviceAccountTokens: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:identity:Authentik", name, {}, opts);
    // homelab:secretGenerations names only these (and Twingate's): the config check refuses any other.
    const generated = identityEnvNames(args.domain, args.apps);
    this.blueprints = { "homelab.yaml": renderBlueprint(identityBlueprint({ domain: args.domain, provisioningWebhookUrl: args.provisioningWebhookUrl, apps: args.apps })) };

    const values: Record<string, pulumi.Output<string>> = {};
    for (const variable of generated) {
      const generation = args.generations?.[variable] ?? 1;
      values[variable] = new random.RandomPassword(`${name}-${variable.toLowerCase().replace(/_/g, "-")}`, {
        length: 48,
        special: false,
        keepers: { generation: String(generation) },
      }, { parent: this }).result;
    }
    const collect = (pick: Record<string, string>) =>
      pulumi.secret(pulumi.all(Object.fromEntries(Object.entries(pick).map(([key, variable]) => [key, values[variable]!]))) as pulumi.Output<Record<string, string>>);
    values[envNames.ntfyToken] = pulumi.output(args.ntfyToken);
    this.environment = collect(Object.fromEntries([...generated, ...providedEnvNames].map((v) => [v, v])));
    this.oidcClientSecrets = collect(Object.fromEntries(oidcApps(args.apps).map((app) => [app.name, envNames.oidcSecret(app.name)])));
    this.serviceAccountTokens = collect(Object.fromEntries(Object.keys(allServiceAccounts(args.domain, args.apps)).map((account) => [account, envNames.token(account)])));

    this.registerOutputs({ oidcClientSecrets: this.oidcClientSecrets, serviceAccountTokens: this.serviceAccountTokens });
  }
}
