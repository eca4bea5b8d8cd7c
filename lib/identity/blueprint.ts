/**
 * Typed Authentik blueprints. The attributes of every entry are written as the request model of
 * the official client `@goauthentik/api` and converted with its `*ToJSON` function, so a wrong
 * field name or type fails the type-check and the wire form (snake_case) is the API's own.
 * References between entries are blueprint tags: `!KeyOf <id>`, `!Find [model, [field, value]]`,
 * `!Env NAME` (secrets stay in the worker's environment) and `!Format [fmt, args…]`.
 *
 * The blueprint schema is generated from the same serializers as the REST API (upstream:
 * website/docs/customize/blueprints), except the blueprint-only fields of
 * website/docs/customize/blueprints/v1/models.md: token `key`, user `password`, application `icon`,
 * role `permissions`. Those are typed here as extensions. A user's own `permissions` are left out:
 * from Authentik 2025.12 on every permission must be attached to a role ("User permissions … are not
 * used", release notes 2025.12 "RBAC"), and users hold roles directly (`UserRequest.roles`).
 */
import * as api from "@goauthentik/api";
import { Document, type Node } from "yaml";
import { BlueprintTag, type Blueprint, type BlueprintEntry } from "./blueprint-yaml";

export { BlueprintTag, parseBlueprint, type Blueprint, type BlueprintEntry } from "./blueprint-yaml";

interface ModelSpec<T> {
  toJSON(value: T): unknown;
  fromJSON(json: unknown): T;
  is(value: object): boolean;
  /** Blueprint-only attributes (models.md), checked by name only. */
  extras: readonly string[];
}
function model<T>(toJSON: (v: T) => unknown, fromJSON: (j: unknown) => T, is: (v: object) => boolean, extras: readonly string[] = []): ModelSpec<T> {
  return { toJSON, fromJSON, is, extras };
}

/** Every model the homelab blueprints use, with its request type from @goauthentik/api. */
export const models = {
  "authentik_core.group": model<api.GroupRequest>(api.GroupRequestToJSON, api.GroupRequestFromJSON, api.instanceOfGroupRequest),
  "authentik_core.user": model<api.UserRequest>(api.UserRequestToJSON, api.UserRequestFromJSON, api.instanceOfUserRequest, ["password"]),
  "authentik_rbac.role": model<api.RoleRequest>(api.RoleRequestToJSON, api.RoleRequestFromJSON, api.instanceOfRoleRequest, ["permissions"]),
  "authentik_core.token": model<api.TokenRequest>(api.TokenRequestToJSON, api.TokenRequestFromJSON, api.instanceOfTokenRequest, ["key"]),
  "authentik_core.application": model<api.ApplicationRequest>(api.ApplicationRequestToJSON, api.ApplicationRequestFromJSON, api.instanceOfApplicationRequest, ["icon"]),
  "authentik_brands.brand": model<api.BrandRequest>(api.BrandRequestToJSON, api.BrandRequestFromJSON, api.instanceOfBrandRequest),
  "authentik_flows.flow": model<api.FlowRequest>(api.FlowRequestToJSON, api.FlowRequestFromJSON, api.instanceOfFlowRequest),
  "authentik_flows.flowstagebinding": model<api.FlowStageBindingRequest>(api.FlowStageBindingRequestToJSON, api.FlowStageBindingRequestFromJSON, api.instanceOfFlowStageBindingRequest),
  "authentik_policies.policybinding": model<api.PolicyBindingRequest>(api.PolicyBindingRequestToJSON, api.PolicyBindingRequestFromJSON, api.instanceOfPolicyBindingRequest),
  "authentik_policies_expression.expressionpolicy": model<api.ExpressionPolicyRequest>(api.ExpressionPolicyRequestToJSON, api.ExpressionPolicyRequestFromJSON, api.instanceOfExpressionPolicyRequest),
  "authentik_policies_password.passwordpolicy": model<api.PasswordPolicyRequest>(api.PasswordPolicyRequestToJSON, api.PasswordPolicyRequestFromJSON, api.instanceOfPasswordPolicyRequest),
  "authentik_policies_event_matcher.eventmatcherpolicy": model<api.EventMatcherPolicyRequest>(api.EventMatcherPolicyRequestToJSON, api.EventMatcherPolicyRequestFromJSON, api.instanceOfEventMatcherPolicyRequest),
  "authentik_stages_invitation.invitationstage": model<api.InvitationStageRequest>(api.InvitationStageRequestToJSON, api.InvitationStageRequestFromJSON, api.instanceOfInvitationStageRequest),
  "authentik_stages_prompt.prompt": model<api.PromptRequest>(api.PromptRequestToJSON, api.PromptRequestFromJSON, api.instanceOfPromptRequest),
  "authentik_stages_prompt.promptstage": model<api.PromptStageRequest>(api.PromptStageRequestToJSON, api.PromptStageRequestFromJSON, api.instanceOfPromptStageRequest),
  "authentik_stages_user_write.userwritestage": model<api.UserWriteStageRequest>(api.UserWriteStageRequestToJSON, api.UserWriteStageRequestFromJSON, api.instanceOfUserWriteStageRequest),
  "authentik_stages_user_login.userloginstage": model<api.UserLoginStageRequest>(api.UserLoginStageRequestToJSON, api.UserLoginStageRequestFromJSON, api.instanceOfUserLoginStageRequest),
  "authentik_stages_identification.identificationstage": model<api.IdentificationStageRequest>(api.IdentificationStageRequestToJSON, api.IdentificationStageRequestFromJSON, api.instanceOfIdentificationStageRequest),
  "authentik_stages_password.passwordstage": model<api.PasswordStageRequest>(api.PasswordStageRequestToJSON, api.PasswordStageRequestFromJSON, api.instanceOfPasswordStageRequest),
  "authentik_stages_authenticator_validate.authenticatorvalidatestage": model<api.AuthenticatorValidateStageRequest>(api.AuthenticatorValidateStageRequestToJSON, api.AuthenticatorValidateStageRequestFromJSON, api.instanceOfAuthenticatorValidateStageRequest),
  "authentik_stages_authenticator_totp.authenticatortotpstage": model<api.AuthenticatorTOTPStageRequest>(api.AuthenticatorTOTPStageRequestToJSON, api.AuthenticatorTOTPStageRequestFromJSON, api.instanceOfAuthenticatorTOTPStageRequest),
  "authentik_stages_authenticator_webauthn.authenticatorwebauthnstage": model<api.AuthenticatorWebAuthnStageRequest>(api.AuthenticatorWebAuthnStageRequestToJSON, api.AuthenticatorWebAuthnStageRequestFromJSON, api.instanceOfAuthenticatorWebAuthnStageRequest),
  "authentik_providers_oauth2.scopemapping": model<api.ScopeMappingRequest>(api.ScopeMappingRequestToJSON, api.ScopeMappingRequestFromJSON, api.instanceOfScopeMappingRequest),
  "authentik_providers_oauth2.oauth2provider": model<api.OAuth2ProviderRequest>(api.OAuth2ProviderRequestToJSON, api.OAuth2ProviderRequestFromJSON, api.instanceOfOAuth2ProviderRequest),
  "authentik_providers_saml.samlprovider": model<api.SAMLProviderRequest>(api.SAMLProviderRequestToJSON, api.SAMLProviderRequestFromJSON, api.instanceOfSAMLProviderRequest),
  "authentik_providers_proxy.proxyprovider": model<api.ProxyProviderRequest>(api.ProxyProviderRequestToJSON, api.ProxyProviderRequestFromJSON, api.instanceOfProxyProviderRequest),
  "authentik_outposts.outpost": model<api.OutpostRequest>(api.OutpostRequestToJSON, api.OutpostRequestFromJSON, api.instanceOfOutpostRequest),
  "authentik_events.notificationtransport": model<api.NotificationTransportRequest>(api.NotificationTransportRequestToJSON, api.NotificationTransportRequestFromJSON, api.instanceOfNotificationTransportRequest),
  "authentik_events.notificationrule": model<api.NotificationRuleRequest>(api.NotificationRuleRequestToJSON, api.NotificationRuleRequestFromJSON, api.instanceOfNotificationRuleRequest),
  "authentik_events.notificationwebhookmapping": model<api.NotificationWebhookMappingRequest>(api.NotificationWebhookMappingRequestToJSON, api.NotificationWebhookMappingRequestFromJSON, api.instanceOfNotificationWebhookMappingRequest),
} as const;
export type ModelName = keyof typeof models;
export type RequestOf<M extends ModelName> = (typeof models)[M] extends ModelSpec<infer T> ? T : never;

/** Blueprint-only attributes, typed (models.md). */
interface Extras {
  "authentik_core.token": { key?: string };
  "authentik_core.user": { password?: string };
  "authentik_rbac.role": { permissions?: string[] };
  "authentik_core.application": { icon?: string };
}
export type AttrsOf<M extends ModelName> = RequestOf<M> & (M extends keyof Extras ? Extras[M] : unknown);

const numberSentinelBase = -7_000_000_000;

/**
 * Builds one blueprint. Tag helpers return placeholders of the field's type (a string, or a
 * number for integer primary keys) that `entry` swaps for the tag after `*ToJSON`.
 */
export class BlueprintBuilder {
  private readonly entries: BlueprintEntry[] = [];
  private readonly tags = new Map<string | number, BlueprintTag>();

  constructor(private readonly name: string) {}

  private placeholder(tag: BlueprintTag): string {
    const token = `\u0000tag${this.tags.size}\u0000`;
    this.tags.set(token, tag);
    return token;
  }

  /** `!KeyOf id`: the primary key of an entry defined earlier in this blueprint. */
  keyOf(id: string): string {
    if (!this.entries.some((e) => e.id === id)) throw new Error(`blueprint ${this.name}: !KeyOf ${id} refers to no earlier entry`);
    return this.placeholder(new BlueprintTag("!KeyOf", id));
  }
  /** `!KeyOf id` where the field is an integer primary key (providers, users). */
  keyOfNumber(id: string): number {
    this.keyOf(id);
    const sentinel = numberSentinelBase - this.tags.size;
    this.tags.set(sentinel, new BlueprintTag("!KeyOf", id));
    return sentinel;
  }
  /** `!Find [model, [field, value]]`: an object that exists outside this blueprint. */
  find(modelName: string, field: string, value: string): string {
    return this.placeholder(new BlueprintTag("!Find", [modelName, [field, value]]));
  }
  /** `!Env NAME`: a value from the Authentik worker's environment (secrets). */
  env(name: string): string {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`blueprint ${this.name}: !Env ${name} is not an upper-case variable name`);
    return this.placeholder(new BlueprintTag("!Env", name));
  }
  /** `!Format [format, args…]`. */
  format(format: string, ...args: string[]): string {
    return this.placeholder(new BlueprintTag("!Format", [format, ...args.map((a) => this.resolve(a))]));
  }

  private resolve(value: unknown): unknown {
    if (typeof value === "string" && this.tags.has(value)) return this.tags.get(value);
    if (typeof value === "number" && this.tags.has(value)) return this.tags.get(value);
    if (typeof value === "string" && value.includes("\u0000tag")) throw new Error(`blueprint ${this.name}: a tag placeholder was embedded in a longer string; use format()`);
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value instanceof Date) return value.toISOString();
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, this.resolve(v)]));
    }
    return value;
  }

  /**
   * Adds an entry: `request` is the model's API request (plus blueprint-only extras);
   * `identifierKeys` name the (snake_case) fields that identify the object; `permissions` grant
   * object permissions on it (codename without app label, to a role's `!KeyOf`: from Authentik
   * 2025.12 on, permissions granted to a user directly are not used).
   */
  entry<M extends ModelName>(
    modelName: M,
    id: string | undefined,
    request: AttrsOf<M>,
    identifierKeys: readonly string[],
    state?: BlueprintEntry["state"],
    permissions?: readonly { permission: string; role: string }[],
  ): string | undefined {
    if (id !== undefined && this.entries.some((e) => e.id === id)) throw new Error(`blueprint ${this.name}: id ${id} is used twice`);
    const spec = models[modelName] as unknown as ModelSpec<AttrsOf<M>>;
    const wire = spec.toJSON(request) as Record<string, unknown>;
    for (const extra of spec.extras) {
      const camel = extra.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const value = (request as Record<string, unknown>)[camel];
      if (value !== undefined) wire[extra] = value;
    }
    const resolved = this.resolve(wire) as Record<string, unknown>;
    const identifiers: Record<string, unknown> = {};
    for (const key of identifierKeys) {
      if (!(key in resolved)) throw new Error(`blueprint ${this.name}: identifier ${key} is not an attribute of ${modelName}`);
      identifiers[key] = resolved[key];
      delete resolved[key];
    }
    const granted = permissions?.map((p) => this.resolve({ permission: p.permission, role: p.role }) as { permission: string; role: unknown });
    this.entries.push({ model: modelName, ...(id ? { id } : {}), identifiers, attrs: resolved, ...(state ? { state } : {}), ...(granted && granted.length > 0 ? { permissions: granted } : {}) });
    return id;
  }

  build(): Blueprint {
    return { version: 1, metadata: { name: this.name, labels: { "blueprints.goauthentik.io/description": "Managed by the homelab program" } }, entries: [...this.entries] };
  }
}

// ---------------------------------------------------------------------------------------------
// YAML with the custom tags

function toNode(doc: Document, value: unknown): Node {
  if (value instanceof BlueprintTag) {
    const node = Array.isArray(value.value) ? toNode(doc, value.value) : (doc.createNode(value.value) as Node);
    if (Array.isArray(value.value)) (node as Node & { flow: boolean }).flow = true;
    node.tag = value.name;
    return node;
  }
  if (Array.isArray(value)) {
    const seq = doc.createNode([]) as Node & { items: Node[] };
    seq.items = value.map((v) => toNode(doc, v));
    return seq;
  }
  if (value !== null && typeof value === "object") {
    const map = doc.createNode({}) as Node & { items: unknown[] };
    for (const [k, v] of Object.entries(value)) (map as unknown as { add(pair: unknown): void }).add(doc.createPair(k, toNode(doc, v)));
    return map;
  }
  return doc.createNode(value) as Node;
}

export function renderBlueprint(blueprint: Blueprint): string {
  const doc = new Document();
  doc.contents = toNode(doc, blueprint) as never;
  return `# yaml-language-server: $schema=https://goauthentik.io/blueprints/schema.json\n${doc.toString({ lineWidth: 0 })}`;
}

