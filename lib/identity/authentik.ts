/**
 * The homelab's identity in Authentik, as one blueprint derived from the app catalog (epic 3.3,
 * FR-008, NFR-007): groups, an invitation-only enrollment flow, MFA required for `admin` and
 * offered to the family, recovery by admin-issued link, an application per catalog app bound to
 * its tier's groups, OIDC and SAML providers, proxy providers served by one outpost per cluster,
 * service accounts with least rights, and the provisioning webhook. Secrets never appear in it:
 * they are `!Env` references to the Authentik worker's environment (the management VM's secrets
 * bundle).
 */
import { appWithRole } from "../catalog/queries";
import { groups, type AppRecord, type ClusterName, type GroupName } from "../catalog/types";
import { appOrigin, publicHostname, publicRoutes, tunnelRoutes, type DirectRoute, type TunnelRoute } from "../routes";
import { BlueprintBuilder, type Blueprint } from "./blueprint";
import { oidcClient } from "./oidc-client";

export const flowSlugs = {
  authentication: "homelab-authentication",
  enrollment: "homelab-enrollment",
  recovery: "homelab-recovery",
  authorization: "homelab-authorization",
  invalidation: "homelab-invalidation",
} as const;

/** Service accounts (story 3.3.5) and the global permissions each needs, nothing more. */
export const serviceAccounts: Record<string, { title: string; why: string; permissions: string[] }> = {
  "ci-github": {
    title: "CI (GitHub Actions)",
    why: "creates and lists invitations for onboarding automation, reads groups to validate them",
    permissions: ["authentik_stages_invitation.add_invitation", "authentik_stages_invitation.view_invitation", "authentik_core.view_group"],
  },
  argocd: { title: "ArgoCD", why: "reads groups to check that its RBAC groups exist", permissions: ["authentik_core.view_group"] },
  backup: {
    title: "Backups",
    why: "exports users, groups and applications alongside the database dump",
    permissions: ["authentik_core.view_user", "authentik_core.view_group", "authentik_core.view_application"],
  },
  n8n: { title: "n8n provisioning", why: "reads the user and groups a webhook names, to create accounts in the apps", permissions: ["authentik_core.view_user", "authentik_core.view_group"] },
};

/** Environment variable names the blueprint reads with `!Env`, by purpose. */
export const envNames = {
  oidcSecret: (app: string) => `HOMELAB_OIDC_SECRET_${app.toUpperCase().replace(/-/g, "_")}`,
  token: (account: string) => `HOMELAB_TOKEN_${account.toUpperCase().replace(/-/g, "_")}`,
  webhookSecret: "HOMELAB_WEBHOOK_SECRET",
  /** The ntfy token the security alerts publish with (the alerting token, from config). */
  ntfyToken: "HOMELAB_NTFY_TOKEN",
} as const;

/** ntfy topic of security events (failed sign-ins). */
export const securityTopic = "homelab-security";

/** Objects the blueprint finds rather than defines: Authentik's own system blueprints create them. */
export const systemObjects = {
  scopes: ["openid", "email", "profile", "offline_access"].map((scope) => `goauthentik.io/providers/oauth2/scope-${scope}`),
  samlMappings: ["upn", "name", "email", "username", "groups"].map((m) => `goauthentik.io/providers/saml/${m}`),
  certificate: "authentik Self-signed Certificate",
} as const;

export interface IdentityInput {
  domain: string;
  /** Where the provisioning webhook posts user and group changes (story 3.3.4). */
  provisioningWebhookUrl: string;
  apps: readonly AppRecord[];
}

/**
 * Apps that get an Authentik application: the record says so (`sso.portal`), else every non-public
 * app that people reach (through the tunnel or directly; not the management VM's machine endpoints, not SSH),
 * and every app that signs in with OIDC.
 */
export function ssoApps(apps: readonly AppRecord[]): AppRecord[] {
  return apps.filter((app) => {
    if (app.sso?.portal !== undefined) return app.sso.portal;
    if (app.tier === "public") return false;
    if (app.exposure.kind !== "tunnel" && app.exposure.kind !== "direct") return app.auth === "oidc";
    if (app.exposure.kind === "tunnel" && app.exposure.scheme === "ssh") return false;
    // Machine endpoints of the management VM (SideroLink, Kubernetes proxy) have no page for
    // people; a cluster app reached by machines too (ntfy's phone app) still gets its portal link.
    return app.exposure.clients !== "machines" || app.placement.kind === "cluster";
  });
}

export function oidcApps(apps: readonly AppRecord[]): AppRecord[] {
  return ssoApps(apps).filter((a) => a.auth === "oidc");
}

/** The app's public hostnames (one per cluster it runs on behind the tunnel, or its direct name). */
function hostsOf(app: AppRecord, routes: readonly (TunnelRoute | DirectRoute)[]): string[] {
  return routes.filter((r) => r.app === app.name).map((r) => r.hostname);
}

/** The OIDC redirect URIs Authentik accepts for an app: exactly the app's own (lib/identity/oidc-client.ts), strict. */
export function oidcRedirectUris(domain: string, apps: readonly AppRecord[], app: AppRecord): { matchingMode: "strict"; url: string }[] {
  return oidcClient(domain, apps, app).redirectUris.map((url) => ({ matchingMode: "strict" as const, url }));
}

/** The service account of a cluster's proxy outpost (its token is the outpost's AUTHENTIK_TOKEN). */
export function outpostAccount(cluster: ClusterName): string {
  return `outpost-${cluster}`;
}

/** The clusters whose outpost signs people in for at least one app: each gets an outpost and its account. */
export function outpostClusters(domain: string, apps: readonly AppRecord[]): ClusterName[] {
  const clusters = new Set<ClusterName>();
  for (const route of tunnelRoutes(domain, apps)) {
    const app = apps.find((a) => a.name === route.app);
    if (app?.auth === "outpost" && route.location !== "mgmt") clusters.add(route.location);
  }
  return [...clusters].sort();
}

/**
 * Every service account: the fixed ones, and one per outpost. An outpost's account gets exactly
 * what Authentik gives the account it would generate for it (authentik/outposts/models.py,
 * `Outpost.get_required_objects`: view on the outpost and on each of its providers, and the
 * global `authentik_events.add_event`); the object permissions are set on those entries, granted
 * to the account's role.
 */
export function allServiceAccounts(domain: string, apps: readonly AppRecord[]): Record<string, { title: string; why: string; permissions: string[] }> {
  const accounts = { ...serviceAccounts };
  for (const cluster of outpostClusters(domain, apps)) {
    accounts[outpostAccount(cluster)] = {
      title: `Outpost (${cluster})`,
      why: `the proxy outpost of ${cluster} reads its configuration and reports its events`,
      permissions: ["authentik_events.add_event"],
    };
  }
  return accounts;
}

/** The blueprint id of the role that carries a service account's permissions. */
const roleId = (account: string) => `role-sa-${account}`;

/** The email scope mapping every OIDC provider uses: the address, marked verified (see the blueprint). */
export const emailScopeMapping = "homelab-email-verified";

export function identityBlueprint(input: IdentityInput): Blueprint {
  const { apps, domain } = input;
  const routes = publicRoutes(domain, apps);
  const hostOf = (name: string) => publicHostname(routes, name);
  const identityHost = hostOf(appWithRole(apps, "identity-provider").name);
  const b = new BlueprintBuilder("homelab-identity");
  const groupId = (name: GroupName) => `group-${name}`;

  // --- Groups (story 3.3.1) -------------------------------------------------------------
  b.entry("authentik_core.group", groupId(groups.admin), { name: groups.admin, isSuperuser: true }, ["name"]);
  b.entry("authentik_core.group", groupId(groups.family), { name: groups.family, isSuperuser: false }, ["name"]);

  // --- Provider flows: implicit consent, plain invalidation ----------------------------
  b.entry("authentik_flows.flow", "flow-authorization", { name: "Authorize application", slug: flowSlugs.authorization, title: "Redirecting", designation: "authorization", authentication: "require_authenticated" }, ["slug"]);
  b.entry("authentik_flows.flow", "flow-invalidation", { name: "Logged out of application", slug: flowSlugs.invalidation, title: "You are signed out", designation: "invalidation" }, ["slug"]);

  // --- Authentication: password, then MFA (required for admin, offered to the family) ---
  b.entry("authentik_stages_authenticator_totp.authenticatortotpstage", "stage-totp-setup", { name: "homelab-totp-setup", digits: "6", friendlyName: "Authenticator app" }, ["name"]);
  b.entry("authentik_stages_authenticator_webauthn.authenticatorwebauthnstage", "stage-webauthn-setup", { name: "homelab-webauthn-setup", userVerification: "preferred", friendlyName: "Security key or passkey" }, ["name"]);
  b.entry("authentik_stages_password.passwordstage", "stage-password", {
    name: "homelab-password",
    backends: ["authentik.core.auth.InbuiltBackend", "authentik.core.auth.TokenBackend"],
    failedAttemptsBeforeCancel: 5,
  }, ["name"]);
  b.entry("authentik_flows.flow", "flow-recovery", { name: "Recovery", slug: flowSlugs.recovery, title: "Choose a new password", designation: "recovery", authentication: "require_unauthenticated" }, ["slug"]);
  b.entry("authentik_stages_identification.identificationstage", "stage-identification", {
    name: "homelab-identification",
    userFields: ["username", "email"],
    passwordStage: b.keyOf("stage-password"),
    // No self-registration anywhere: there is no enrollment link on the login page.
    enrollmentFlow: null,
    // No self-service recovery (no outgoing e-mail): the admin issues recovery links.
    recoveryFlow: null,
    pretendUserExists: true,
    showMatchedUser: false,
  }, ["name"]);
  b.entry("authentik_stages_authenticator_validate.authenticatorvalidatestage", "stage-mfa-required", {
    name: "homelab-mfa-required",
    notConfiguredAction: "configure",
    deviceClasses: ["totp", "webauthn", "static"],
    configurationStages: [b.keyOf("stage-totp-setup"), b.keyOf("stage-webauthn-setup")],
  }, ["name"]);
  b.entry("authentik_stages_authenticator_validate.authenticatorvalidatestage", "stage-mfa-if-configured", {
    name: "homelab-mfa-if-configured",
    notConfiguredAction: "skip",
    deviceClasses: ["totp", "webauthn", "static"],
  }, ["name"]);
  b.entry("authentik_stages_user_login.userloginstage", "stage-login", { name: "homelab-login", sessionDuration: "hours=12", rememberMeOffset: "days=30" }, ["name"]);
  b.entry("authentik_flows.flow", "flow-authentication", { name: "Sign in", slug: flowSlugs.authentication, title: "Welcome home", designation: "authentication", authentication: "none" }, ["slug"]);
  const bind = (id: string, flow: string, stage: string, order: number, policiesAfterIdentification = false) =>
    b.entry("authentik_flows.flowstagebinding", id, {
      target: b.keyOf(flow),
      stage: b.keyOf(stage),
      order,
      // The user is known only after identification: decide then, not when planning the flow.
      ...(policiesAfterIdentification ? { evaluateOnPlan: false, reEvaluatePolicies: true } : {}),
    }, ["target", "stage", "order"]);
  bind("binding-auth-identification", "flow-authentication", "stage-identification", 10);
  bind("binding-auth-mfa-required", "flow-authentication", "stage-mfa-required", 20, true);
  bind("binding-auth-mfa-optional", "flow-authentication", "stage-mfa-if-configured", 30, true);
  bind("binding-auth-login", "flow-authentication", "stage-login", 100);
  b.entry("authentik_policies.policybinding", undefined, { target: b.keyOf("binding-auth-mfa-required"), group: b.keyOf(groupId(groups.admin)), order: 0 }, ["target", "order"]);
  b.entry("authentik_policies.policybinding", undefined, { target: b.keyOf("binding-auth-mfa-optional"), group: b.keyOf(groupId(groups.admin)), negate: true, order: 0 }, ["target", "order"]);

  // --- Enrollment: only with a valid invitation (story 3.3.1) ---------------------------
  b.entry("authentik_stages_invitation.invitationstage", "stage-invitation", { name: "homelab-invitation", continueFlowWithoutInvitation: false }, ["name"]);
  const prompt = (id: string, fieldKey: string, label: string, type: "username" | "text" | "email" | "password", order: number) =>
    b.entry("authentik_stages_prompt.prompt", id, { name: `homelab-${fieldKey.replace(/_/g, "-")}`, fieldKey, label, type, required: true, order, placeholder: label }, ["name"]);
  prompt("prompt-username", "username", "Username", "username", 10);
  prompt("prompt-name", "name", "Name", "text", 20);
  prompt("prompt-email", "email", "E-mail", "email", 30);
  prompt("prompt-password", "password", "Password", "password", 40);
  prompt("prompt-password-repeat", "password_repeat", "Password (again)", "password", 50);
  b.entry("authentik_policies_password.passwordpolicy", "policy-password", {
    name: "homelab-password-strength",
    passwordField: "password",
    lengthMin: 12,
    checkStaticRules: true,
    checkZxcvbn: true,
    zxcvbnScoreThreshold: 2,
    checkHaveIBeenPwned: false,
    errorMessage: "Choose a longer, less common password (at least 12 characters).",
  }, ["name"]);
  b.entry("authentik_stages_prompt.promptstage", "stage-enrollment-prompt", {
    name: "homelab-enrollment-prompt",
    fields: ["prompt-username", "prompt-name", "prompt-email", "prompt-password", "prompt-password-repeat"].map((id) => b.keyOf(id)),
    validationPolicies: [b.keyOf("policy-password")],
  }, ["name"]);
  b.entry("authentik_stages_user_write.userwritestage", "stage-enrollment-write", {
    name: "homelab-enrollment-write",
    userCreationMode: "always_create",
    createUsersAsInactive: false,
    userType: "internal",
    userPathTemplate: "homelab/people",
  }, ["name"]);
  const knownGroups = Object.values(groups).map((g) => `"${g}"`).join(", ");
  b.entry("authentik_policies_expression.expressionpolicy", "policy-invitation-groups", {
    name: "homelab-invitation-groups",
    // The invitation's fixed data is merged into prompt_data; `homelab invite --groups` puts the
    // group names there. Only the homelab's groups can be granted this way.
    expression: [
      "from authentik.core.models import Group",
      `allowed = {${knownGroups}}`,
      'plan = request.context["flow_plan"]',
      'names = [n for n in plan.context.get("prompt_data", {}).get("homelab_groups", []) if n in allowed]',
      'plan.context["groups"] = list(Group.objects.filter(name__in=names))',
      "return True",
    ].join("\n"),
  }, ["name"]);
  b.entry("authentik_flows.flow", "flow-enrollment", { name: "Join the family", slug: flowSlugs.enrollment, title: "Create your account", designation: "enrollment", authentication: "require_unauthenticated" }, ["slug"]);
  bind("binding-enroll-invitation", "flow-enrollment", "stage-invitation", 10);
  bind("binding-enroll-prompt", "flow-enrollment", "stage-enrollment-prompt", 20);
  bind("binding-enroll-write", "flow-enrollment", "stage-enrollment-write", 30, true);
  bind("binding-enroll-login", "flow-enrollment", "stage-login", 40);
  b.entry("authentik_policies.policybinding", undefined, { target: b.keyOf("binding-enroll-write"), policy: b.keyOf("policy-invitation-groups"), order: 0 }, ["target", "order"]);

  // --- Recovery: a link the admin creates (Directory → Users → recovery link) -----------
  b.entry("authentik_stages_prompt.promptstage", "stage-recovery-prompt", {
    name: "homelab-recovery-prompt",
    fields: [b.keyOf("prompt-password"), b.keyOf("prompt-password-repeat")],
    validationPolicies: [b.keyOf("policy-password")],
  }, ["name"]);
  b.entry("authentik_stages_user_write.userwritestage", "stage-recovery-write", { name: "homelab-recovery-write", userCreationMode: "never_create" }, ["name"]);
  bind("binding-recovery-prompt", "flow-recovery", "stage-recovery-prompt", 10);
  bind("binding-recovery-write", "flow-recovery", "stage-recovery-write", 20);
  bind("binding-recovery-login", "flow-recovery", "stage-login", 30);
  b.entry("authentik_brands.brand", undefined, {
    domain: "authentik-default",
    brandingTitle: "Homelab",
    flowAuthentication: b.keyOf("flow-authentication"),
    flowRecovery: b.keyOf("flow-recovery"),
  }, ["domain"]);

  // --- Service accounts (story 3.3.5), the outposts' included ------------------------------
  // Each holds one role of its own that carries its permissions: from Authentik 2025.12 on, every
  // permission is attached to a role and a user's own permissions are not used (release notes
  // 2025.12, "RBAC"); users hold roles directly (`roles`, @goauthentik/api UserRequest).
  for (const [name, account] of Object.entries(allServiceAccounts(domain, apps))) {
    b.entry("authentik_rbac.role", roleId(name), { name: `homelab-${name}`, permissions: account.permissions }, ["name"]);
    b.entry("authentik_core.user", `sa-${name}`, {
      username: name,
      name: account.title,
      type: "service_account",
      path: "homelab/service-accounts",
      isActive: true,
      roles: [b.keyOf(roleId(name))],
    }, ["username"]);
    b.entry("authentik_core.token", undefined, {
      identifier: `homelab-${name}`,
      intent: "api",
      user: b.keyOfNumber(`sa-${name}`),
      description: `${account.title}: ${account.why}`,
      expiring: false,
      key: b.env(envNames.token(name)),
    }, ["identifier"]);
  }

  // --- Applications and providers from the catalog (story 3.3.3) ------------------------
  const common = { authorizationFlow: b.keyOf("flow-authorization"), invalidationFlow: b.keyOf("flow-invalidation") };
  const certificate = () => b.find("authentik_crypto.certificatekeypair", "name", systemObjects.certificate);
  // Authentik's managed email mapping answers `email_verified: False` from 2025.10 on (docs:
  // add-secure-apps/providers/oauth2/verify-email-address), and Vaultwarden, Komga and RomM then
  // refuse the sign-in. Addresses here come with the invitation and users cannot change them
  // (allow_user_change_email stays false), so this mapping vouches for them.
  b.entry("authentik_providers_oauth2.scopemapping", "mapping-email", {
    name: emailScopeMapping,
    scopeName: "email",
    description: "E-mail address (verified: set by invitation, not changeable by the user)",
    expression: 'return {"email": request.user.email, "email_verified": True}',
  }, ["name"]);
  const scopes = () => [
    ...systemObjects.scopes.filter((managed) => !managed.endsWith("scope-email")).map((managed) => b.find("authentik_providers_oauth2.scopemapping", "managed", managed)),
    b.keyOf("mapping-email"),
  ];
  const outpostProviders = new Map<ClusterName, number[]>();

  const application = (slug: string, app: AppRecord, launchUrl: string, provider?: number) => {
    b.entry("authentik_core.application", `app-${slug}`, {
      name: app.title,
      slug,
      metaLaunchUrl: launchUrl,
      metaDescription: app.description,
      group: app.tier === "admin" ? "Admin" : "Family",
      policyEngineMode: "any",
      ...(provider !== undefined ? { provider } : {}),
    }, ["slug"]);
    app.groups.forEach((group, order) => {
      b.entry("authentik_policies.policybinding", undefined, { target: b.keyOf(`app-${slug}`), group: b.keyOf(groupId(group)), order }, ["target", "order"]);
    });
  };
  for (const app of ssoApps(apps)) {
    const hosts = hostsOf(app, routes);
    if (app.sso?.link) {
      application(app.name, app, `https://${hostOf(app.sso.link.app)}${app.sso.link.path}`);
    } else if (app.auth === "oidc") {
      b.entry("authentik_providers_oauth2.oauth2provider", `provider-${app.name}`, {
        name: app.name,
        ...common,
        clientType: "confidential",
        clientId: app.name,
        clientSecret: b.env(envNames.oidcSecret(app.name)),
        redirectUris: oidcRedirectUris(domain, apps, app),
        propertyMappings: scopes(),
        signingKey: certificate(),
        includeClaimsInIdToken: true,
      }, ["name"]);
      application(app.name, app, hosts[0] ? `https://${hosts[0]}` : "blank://blank", b.keyOfNumber(`provider-${app.name}`));
    } else if (app.auth === "saml") {
      const host = hosts[0]!;
      b.entry("authentik_providers_saml.samlprovider", `provider-${app.name}`, {
        name: app.name,
        ...common,
        acsUrl: `https://${host}/saml/acs`,
        audience: `https://${host}/saml/metadata`,
        // Renamed from `issuer` in Authentik 2026.5 (an override of the issuer Authentik derives).
        issuerOverride: `https://${identityHost}`,
        spBinding: "post",
        signingKp: certificate(),
        signAssertion: true,
        signResponse: true,
        propertyMappings: systemObjects.samlMappings.map((managed) => b.find("authentik_providers_saml.samlpropertymapping", "managed", managed)),
        nameIdMapping: b.find("authentik_providers_saml.samlpropertymapping", "managed", "goauthentik.io/providers/saml/email"),
      }, ["name"]);
      application(app.name, app, `https://${host}`, b.keyOfNumber(`provider-${app.name}`));
    } else if (app.auth === "outpost") {
      // One proxy provider per hostname, served by the outpost of the cluster behind that
      // hostname: tunnel (and LAN Gateway) → outpost → the app's Service. Proxy mode, because
      // neither cloudflared nor the Cilium Gateway can call a forward-auth endpoint.
      for (const route of tunnelRoutes(domain, apps).filter((r) => r.app === app.name)) {
        const slug = hosts.length > 1 ? route.hostname.split(".")[0]! : app.name;
        const cluster = route.location as ClusterName;
        const skip = app.sso?.outpost?.unauthenticatedPaths ?? [];
        b.entry("authentik_providers_proxy.proxyprovider", `provider-${slug}`, {
          name: slug,
          ...common,
          mode: "proxy",
          externalHost: `https://${route.hostname}`,
          internalHost: app.exposure.kind === "tunnel" ? appOrigin(app, app.exposure, apps) : "",
          // The app's own Authorization headers (API keys) pass through untouched.
          interceptHeaderAuth: false,
          ...(skip.length > 0 ? { skipPathRegex: skip.join("\n") } : {}),
          accessTokenValidity: "hours=12",
        }, ["name"], undefined, [{ permission: "view_proxyprovider", role: b.keyOf(roleId(outpostAccount(cluster))) }]);
        outpostProviders.set(cluster, [...(outpostProviders.get(cluster) ?? []), b.keyOfNumber(`provider-${slug}`)]);
        application(slug, app, `https://${route.hostname}`, b.keyOfNumber(`provider-${slug}`));
      }
    } else {
      // Apps with their own accounts still appear in "My applications" for their groups.
      application(app.name, app, `https://${hosts[0]!}`);
    }
  }
  // One proxy outpost per cluster, deployed there by the catalog; it signs in with its account's token.
  for (const [cluster, providers] of [...outpostProviders.entries()].sort(([a], [z]) => a.localeCompare(z))) {
    b.entry("authentik_outposts.outpost", `outpost-${cluster}`, {
      name: `homelab-outpost-${cluster}`,
      type: "proxy",
      providers,
      config: { authentik_host: `https://${identityHost}/`, log_level: "info" },
    }, ["name"], undefined, [{ permission: "view_outpost", role: b.keyOf(roleId(outpostAccount(cluster))) }]);
  }

  // --- Provisioning webhook on user and group changes (story 3.3.4) -----------------------
  // A webhook header mapping that sends a bearer token read from the worker's environment.
  const bearerHeader = (id: string, name: string, variable: string) =>
    b.entry("authentik_events.notificationwebhookmapping", id, { name, expression: b.format('return {"Authorization": "Bearer %s"}', b.env(variable)) }, ["name"]);
  bearerHeader("mapping-webhook-auth", "homelab-webhook-auth", envNames.webhookSecret);
  b.entry("authentik_events.notificationtransport", "transport-provisioning", {
    name: "homelab-provisioning",
    mode: "webhook",
    webhookUrl: input.provisioningWebhookUrl,
    webhookMappingHeaders: b.keyOf("mapping-webhook-auth"),
    sendOnce: false,
  }, ["name"]);
  b.entry("authentik_events.notificationrule", "rule-provisioning", {
    name: "homelab-provisioning",
    transports: [b.keyOf("transport-provisioning")],
    severity: "notice",
    // `group` until Authentik 2025.6 (events migration 0010 renamed it).
    destinationGroup: b.keyOf(groupId(groups.admin)),
  }, ["name"]);
  const matchers: [string, "model_created" | "model_updated", "authentik_core.user" | "authentik_core.group"][] = [
    ["user-created", "model_created", "authentik_core.user"],
    ["user-updated", "model_updated", "authentik_core.user"],
    ["group-updated", "model_updated", "authentik_core.group"],
  ];
  matchers.forEach(([name, action, modelName], order) => {
    b.entry("authentik_policies_event_matcher.eventmatcherpolicy", `policy-${name}`, { name: `homelab-${name}`, action, model: modelName }, ["name"]);
    b.entry("authentik_policies.policybinding", undefined, { target: b.keyOf("rule-provisioning"), policy: b.keyOf(`policy-${name}`), order }, ["target", "order"]);
  });

  // --- Security alerts (story 2.4.7): failed sign-ins reach the admin's phone through ntfy ---
  // Authentik holds these events; it runs outside the clusters, so it publishes them itself.
  bearerHeader("mapping-ntfy-auth", "homelab-ntfy-auth", envNames.ntfyToken);
  b.entry("authentik_events.notificationwebhookmapping", "mapping-ntfy-body", {
    name: "homelab-ntfy-security-message",
    // ntfy's JSON publishing format: topic, title, message, priority (4 = high), tags.
    expression: [
      "return {",
      `    "topic": "${securityTopic}",`,
      '    "title": "Failed sign-in",',
      '    "message": notification.body,',
      '    "priority": 4,',
      '    "tags": ["lock", "warning"],',
      "}",
    ].join("\n"),
  }, ["name"]);
  b.entry("authentik_events.notificationtransport", "transport-security", {
    name: "homelab-security-ntfy",
    mode: "webhook",
    webhookUrl: `https://${hostOf(appWithRole(apps, "notifications").name)}/`,
    webhookMappingHeaders: b.keyOf("mapping-ntfy-auth"),
    webhookMappingBody: b.keyOf("mapping-ntfy-body"),
    sendOnce: false,
  }, ["name"]);
  b.entry("authentik_events.notificationrule", "rule-failed-logins", {
    name: "homelab-failed-logins",
    transports: [b.keyOf("transport-security")],
    severity: "alert",
    // `group` until Authentik 2025.6 (events migration 0010 renamed it).
    destinationGroup: b.keyOf(groupId(groups.admin)),
  }, ["name"]);
  b.entry("authentik_policies_event_matcher.eventmatcherpolicy", "policy-login-failed", { name: "homelab-login-failed", action: "login_failed" }, ["name"]);
  b.entry("authentik_policies.policybinding", undefined, { target: b.keyOf("rule-failed-logins"), policy: b.keyOf("policy-login-failed"), order: 0 }, ["target", "order"]);

  return b.build();
}

/** Variables the blueprint reads with `!Env` that the program generates: one OIDC secret per OIDC app, one token per service account, the webhook secret. */
export function identityEnvNames(domain: string, apps: readonly AppRecord[]): string[] {
  return [...oidcApps(apps).map((a) => envNames.oidcSecret(a.name)), ...Object.keys(allServiceAccounts(domain, apps)).map(envNames.token), envNames.webhookSecret];
}

/** Variables the blueprint reads that come from config instead (the ntfy token). */
export const providedEnvNames = [envNames.ntfyToken] as const;
