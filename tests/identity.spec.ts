import { mgmtBackupSchedule } from "../lib/backup/items";
import { strict as assert } from "node:assert";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { blueprintSchemaProblems, clientVersionProblems } from "../lib/identity/blueprint-schema";
import { isPinned, loadSchemaFile } from "../lib/validate/schemas";
import { versions } from "../lib/versions";
import { managementMetadata } from "../lib/management-vm/documents";
import { apps as catalogApps, catalog, groups } from "../lib/catalog";
import { allServiceAccounts, envNames, identityBlueprint, identityEnvNames, oidcApps, providedEnvNames, securityTopic, serviceAccounts, ssoApps, systemObjects, flowSlugs } from "../lib/identity/authentik";
import { BlueprintTag, models, parseBlueprint, renderBlueprint, type Blueprint, type BlueprintEntry, type ModelName } from "../lib/identity/blueprint";
import { blueprintProblems } from "../lib/identity/checks";
import { tunnelRoutes } from "../lib/routes";
import { tarGzip, untarGzip } from "../lib/tar";
import { adminGroupRestriction } from "../policies/rules";
import { types } from "../policies/types";
import { main as homelabCli } from "../scripts/homelab";
import { examplePlan, res } from "./helpers";

const input = { domain: "example.com", provisioningWebhookUrl: "https://n8n.example.com/webhook/authentik-provisioning", apps: catalogApps };
const text = renderBlueprint(identityBlueprint(input));
const parsed = parseBlueprint(text);
const fields = (e: BlueprintEntry) => ({ ...e.attrs, ...e.identifiers });
const entriesOf = (model: string, bp: Blueprint = parsed) => bp.entries.filter((e) => e.model === model);
const byId = (id: string) => parsed.entries.find((e) => e.id === id)!;
const keyOf = (value: unknown) => (value instanceof BlueprintTag && value.name === "!KeyOf" ? String(value.value) : undefined);

/** Walks a value and yields every tag. */
function tagsIn(value: unknown, out: BlueprintTag[] = []): BlueprintTag[] {
  if (value instanceof BlueprintTag) {
    out.push(value);
    if (Array.isArray(value.value)) tagsIn(value.value, out);
  } else if (Array.isArray(value)) value.forEach((v) => tagsIn(v, out));
  else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => tagsIn(v, out));
  return out;
}

/** An entry checked against its @goauthentik/api request model: required fields present, no unknown field. */
function modelProblems(entry: BlueprintEntry): string[] {
  const spec = models[entry.model as ModelName];
  if (!spec) return [`${entry.model}: not a model the homelab builds`];
  const wire = fields(entry);
  const typed = spec.fromJSON(wire) as object;
  const problems: string[] = [];
  if (!spec.is(typed)) problems.push(`${entry.model} ${entry.id ?? ""}: a required field is missing`);
  const back = spec.toJSON(typed as never) as Record<string, unknown>;
  for (const key of Object.keys(wire)) {
    if (!(key in back) && !spec.extras.includes(key)) problems.push(`${entry.model} ${entry.id ?? ""}: unknown field "${key}"`);
  }
  return problems;
}

function instanceWithBlueprint(blueprintText: string) {
  const project = tarGzip([{ path: "compose.yaml", content: "services: {}\n" }, { path: "authentik/blueprints/homelab.yaml", content: blueprintText }]).toString("base64");
  return res(types.ociInstance, { shape: "VM.Standard.A1.Flex", metadata: { "homelab-project": project } }, "oci-mgmt");
}
const policyMessages = (blueprintText: string) => adminGroupRestriction.check([instanceWithBlueprint(blueprintText)], { stack: "cloud" } as never).map((v) => v.message);

describe("Authentik blueprint: the pinned server has every field", () => {
  const clientVersion = (JSON.parse(readFileSync(join(__dirname, "../node_modules/@goauthentik/api/package.json"), "utf8")) as { version: string }).version;

  it("types the blueprint with the @goauthentik/api release of the server it runs on", () => {
    assert.deepEqual(clientVersionProblems(versions.authentik, clientVersion), []);
    assert.deepEqual(clientVersionProblems("2025.2.4", "2025.2.4-1745325566"), [
      "@goauthentik/api 2025.2.4-1745325566 is not a release build (a timestamped build is generated from main, not from a server release)",
      "@goauthentik/api 2025.2.4-1745325566 does not match the Authentik server 2025.2.4; pin both to one version",
    ]);
  });

  it("validates against Authentik's own blueprint schema: the server's when pinned offline, else the newest pinned one (structure only)", () => {
    const own = `authentik/blueprint-${versions.authentik}.schema.json`;
    if (isPinned(own)) {
      assert.deepEqual(blueprintSchemaProblems(parsed, loadSchemaFile(own) as never, { closedAttributes: true }), []);
    } else {
      // No 2026.8.3 schema is available offline (goauthentik/authentik is over the snapshot limit):
      // the structure is checked against 2025.2.4, the attributes against the 2026.8.3 client models below.
      assert.deepEqual(blueprintSchemaProblems(parsed, loadSchemaFile("authentik/blueprint-2025.2.4.schema.json") as never), []);
    }
  });

  it("checks an entry's object permissions too: a role given by !KeyOf passes, a permission the model does not have is named", () => {
    const schema = loadSchemaFile("authentik/blueprint-2025.2.4.schema.json") as never;
    const outpost = (permission: string): Blueprint => ({
      version: 1,
      metadata: { name: "fixture" },
      entries: [{ model: "authentik_outposts.outpost", id: "o", identifiers: { name: "o" }, attrs: { type: "proxy" }, permissions: [{ permission, role: new BlueprintTag("!KeyOf", "role-sa") }] }],
    });
    assert.deepEqual(blueprintSchemaProblems(outpost("view_outpost"), schema), []);
    assert.deepEqual(blueprintSchemaProblems(outpost("view_outpst"), schema), ["authentik_outposts.outpost o: /permissions/0/permission must be equal to one of the allowed values"]);
  });

  it("the closed-attribute check names what Authentik 2025.2.4 would silently drop: the fields that required moving the server", () => {
    assert.deepEqual(blueprintSchemaProblems(parsed, loadSchemaFile("authentik/blueprint-2025.2.4.schema.json") as never, { closedAttributes: true }), [
      // Users hold roles directly from 2025.12 on (before, a role reached a user only through a group).
      ...["ci-github", "argocd", "backup", "n8n", "outpost-cloud", "outpost-prod"].map((account) => `authentik_core.user sa-${account}: /attrs must NOT have additional properties "roles"`),
      'authentik_providers_saml.samlprovider provider-omni: /attrs must NOT have additional properties "issuer_override"',
      'authentik_events.notificationtransport transport-provisioning: /attrs must NOT have additional properties "webhook_mapping_headers"',
      'authentik_events.notificationrule rule-provisioning: /attrs must NOT have additional properties "destination_group"',
      'authentik_events.notificationtransport transport-security: /attrs must NOT have additional properties "webhook_mapping_body"',
      'authentik_events.notificationtransport transport-security: /attrs must NOT have additional properties "webhook_mapping_headers"',
      'authentik_events.notificationrule rule-failed-logins: /attrs must NOT have additional properties "destination_group"',
    ]);
  });
});

describe("Authentik blueprint: structure", () => {
  it("is YAML with Authentik's custom tags, version 1, and every attribute of every entry is a property of its model in the server's @goauthentik/api release", () => {
    assert.deepEqual(parseAllDocuments(text).flatMap((d) => d.errors), []);
    assert.equal(parsed.version, 1);
    const problems = parsed.entries.flatMap(modelProblems);
    assert.deepEqual(problems, []);
  });

  it("the model check can fail: a misspelled field and a missing required field are caught", () => {
    assert.deepEqual(modelProblems({ model: "authentik_flows.flow", identifiers: { slug: "x" }, attrs: { name: "x", title: "x", designation: "enrollment", desigantion: "y" } }), ['authentik_flows.flow : unknown field "desigantion"']);
    assert.ok(modelProblems({ model: "authentik_flows.flowstagebinding", identifiers: {}, attrs: { order: 1 } })[0]!.includes("required field is missing"));
  });

  it("resolves every !KeyOf to an entry defined before it, every !Find to a system object, every !Env to a generated secret", () => {
    const seen = new Set<string>();
    const finds = new Set<string>();
    for (const entry of parsed.entries) {
      for (const tag of tagsIn(fields(entry))) {
        if (tag.name === "!KeyOf") assert.ok(seen.has(String(tag.value)), `${entry.model} ${entry.id ?? ""}: !KeyOf ${String(tag.value)} is not defined earlier`);
        if (tag.name === "!Find") finds.add(JSON.stringify(tag.value));
        if (tag.name === "!Env") assert.ok([...identityEnvNames("example.com", catalogApps), ...providedEnvNames].includes(String(tag.value)), `!Env ${String(tag.value)} is neither generated nor provided`);
      }
      if (entry.id) seen.add(entry.id);
    }
    const known = new Set([
      ...systemObjects.scopes.map((m) => JSON.stringify(["authentik_providers_oauth2.scopemapping", ["managed", m]])),
      ...systemObjects.samlMappings.map((m) => JSON.stringify(["authentik_providers_saml.samlpropertymapping", ["managed", m]])),
      JSON.stringify(["authentik_crypto.certificatekeypair", ["name", systemObjects.certificate]]),
    ]);
    for (const find of finds) assert.ok(known.has(find), `!Find ${find} is neither defined here nor an Authentik system object`);
  });

  it("holds no secret: client secrets, token keys and the webhook secret are !Env references", () => {
    for (const provider of entriesOf("authentik_providers_oauth2.oauth2provider")) {
      assert.deepEqual(fields(provider).client_secret, new BlueprintTag("!Env", envNames.oidcSecret(String(fields(provider).name))));
    }
    for (const token of entriesOf("authentik_core.token")) assert.ok(fields(token).key instanceof BlueprintTag);
    assert.match(text, /!Format \[ 'return \{"Authorization": "Bearer %s"\}', !Env HOMELAB_WEBHOOK_SECRET \]/);
  });
});

describe("Authentik blueprint: what it does", () => {
  it("creates the admin (superuser) and family-validated groups", () => {
    assert.deepEqual(entriesOf("authentik_core.group").map((g) => [fields(g).name, fields(g).is_superuser]), [[groups.admin, true], [groups.family, false]]);
  });

  it("enrolls only with a valid invitation, and offers no self-registration link", () => {
    const flow = entriesOf("authentik_flows.flow").find((f) => fields(f).slug === flowSlugs.enrollment)!;
    const bindings = entriesOf("authentik_flows.flowstagebinding").filter((b) => keyOf(fields(b).target) === flow.id).sort((a, b) => Number(fields(a).order) - Number(fields(b).order));
    assert.deepEqual(bindings.map((b) => byId(keyOf(fields(b).stage)!).model), [
      "authentik_stages_invitation.invitationstage",
      "authentik_stages_prompt.promptstage",
      "authentik_stages_user_write.userwritestage",
      "authentik_stages_user_login.userloginstage",
    ]);
    assert.equal(fields(byId("stage-invitation")).continue_flow_without_invitation, false);
    assert.equal(fields(byId("stage-identification")).enrollment_flow, null);
  });

  it("requires MFA for admin (configure if missing) and only validates it for the family when set up", () => {
    const policyOf = (bindingId: string) => entriesOf("authentik_policies.policybinding").find((b) => keyOf(fields(b).target) === bindingId)!;
    assert.equal(fields(byId("stage-mfa-required")).not_configured_action, "configure");
    assert.equal(keyOf(fields(policyOf("binding-auth-mfa-required")).group), "group-admin");
    assert.equal(fields(policyOf("binding-auth-mfa-required")).negate, undefined);
    assert.equal(fields(byId("stage-mfa-if-configured")).not_configured_action, "skip");
    assert.equal(fields(policyOf("binding-auth-mfa-optional")).negate, true);
  });

  it("gives every SSO app of the catalog an application bound to its tier's groups, and the OIDC, SAML and proxy providers", () => {
    assert.deepEqual(blueprintProblems(parsed, "homelab.yaml", catalogApps), []);
    const apps = entriesOf("authentik_core.application").map((a) => String(fields(a).slug));
    for (const app of ssoApps(catalogApps)) assert.ok(apps.some((slug) => slug === app.name || slug.startsWith(`${app.exposure.kind === "tunnel" ? app.exposure.subdomain : app.name}-`)), `${app.name} has no application`);
    assert.deepEqual(entriesOf("authentik_providers_oauth2.oauth2provider").map((p) => fields(p).name).sort(), oidcApps(catalogApps).map((a) => a.name).sort());
    const omni = entriesOf("authentik_providers_saml.samlprovider")[0]!;
    assert.equal(fields(omni).acs_url, "https://omni.example.com/saml/acs");
    const prometheus = entriesOf("authentik_providers_proxy.proxyprovider").find((p) => fields(p).external_host === "https://prometheus-prod.example.com")!;
    // Proxy mode: the outpost is the origin and forwards to the app's own Service.
    assert.deepEqual([fields(prometheus).mode, fields(prometheus).internal_host], ["proxy", "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"]);
    const grafana = entriesOf("authentik_providers_oauth2.oauth2provider").find((p) => fields(p).name === "grafana")!;
    // Exactly the app's callback, strict: no other path or host is accepted.
    assert.deepEqual(fields(grafana).redirect_uris, [{ matching_mode: "strict", url: "https://grafana.example.com/login/generic_oauth" }]);
    assert.ok(!apps.includes("glance"), "a public app got an Authentik application");
    assert.ok(!apps.includes("omni-siderolink"), "a machine endpoint got an Authentik application");
  });

  it("defines the four service accounts and one per outpost, each holding one role with only its listed permissions, and a token each", () => {
    const users = entriesOf("authentik_core.user");
    const accounts = allServiceAccounts("example.com", catalogApps);
    assert.deepEqual(users.map((u) => fields(u).username), [...Object.keys(serviceAccounts), "outpost-cloud", "outpost-prod"]);
    for (const user of users) {
      const username = String(fields(user).username);
      assert.equal(fields(user).type, "service_account");
      // Authentik 2025.12+ ignores a user's own permissions: they live on the account's role.
      assert.equal(fields(user).permissions, undefined, `${username} has permissions of its own`);
      const roles = (fields(user).roles as unknown[]).map((r) => byId(keyOf(r)!));
      assert.deepEqual(roles.map((r) => [r.model, fields(r).name]), [["authentik_rbac.role", `homelab-${username}`]]);
      assert.deepEqual(fields(roles[0]!).permissions, accounts[username]!.permissions);
      assert.ok(!(fields(roles[0]!).permissions as string[]).some((p) => /\.(delete|change)_/.test(p)), `${username} may change or delete`);
    }
    assert.equal(entriesOf("authentik_rbac.role").length, users.length);
    assert.equal(entriesOf("authentik_core.token").length, 6);
  });

  it("gives each cluster's outpost its own providers, and its account view on exactly those and on the outpost", () => {
    for (const cluster of ["cloud", "prod"]) {
      const outpost = byId(`outpost-${cluster}`);
      const providers = (fields(outpost).providers as unknown[]).map((p) => byId(keyOf(p)!));
      const hosts = providers.map((p) => String(fields(p).external_host)).sort();
      const expected = tunnelRoutes("example.com", catalogApps).filter((r) => r.location === cluster && catalogApps.find((a) => a.name === r.app)!.auth === "outpost").map((r) => `https://${r.hostname}`).sort();
      assert.deepEqual(hosts, expected);
      // Granted to the role the outpost's account holds (object permissions of users are not used from 2025.12 on).
      const role = `role-sa-outpost-${cluster}`;
      assert.deepEqual((fields(byId(`sa-outpost-${cluster}`)).roles as unknown[]).map(keyOf), [role]);
      assert.deepEqual(outpost.permissions?.map((p) => [p.permission, keyOf(p.role), p.user]), [["view_outpost", role, undefined]]);
      for (const provider of providers) assert.deepEqual(provider.permissions?.map((p) => [p.permission, keyOf(p.role), p.user]), [["view_proxyprovider", role, undefined]]);
    }
  });

  it("posts user and group changes to the provisioning webhook with the shared secret", () => {
    const transport = entriesOf("authentik_events.notificationtransport")[0]!;
    assert.equal(fields(transport).webhook_url, input.provisioningWebhookUrl);
    const bound = entriesOf("authentik_policies.policybinding").filter((b) => keyOf(fields(b).target) === "rule-provisioning").map((b) => byId(keyOf(fields(b).policy)!));
    assert.deepEqual(bound.map((m) => `${String(fields(m).action)} ${String(fields(m).model)}`), ["model_created authentik_core.user", "model_updated authentik_core.user", "model_updated authentik_core.group"]);
  });

  it("sends failed sign-ins to the admin's phone through ntfy (security alerts)", () => {
    const rule = byId("rule-failed-logins");
    const policy = byId(keyOf(fields(entriesOf("authentik_policies.policybinding").find((b) => keyOf(fields(b).target) === "rule-failed-logins")!).policy)!);
    assert.equal(fields(policy).action, "login_failed");
    const transport = byId(keyOf((fields(rule).transports as unknown[])[0])!);
    assert.equal(fields(transport).webhook_url, "https://ntfy.example.com/");
    assert.match(String(fields(byId("mapping-ntfy-body")).expression), new RegExp(`"topic": "${securityTopic}"`));
    assert.deepEqual(tagsIn(fields(byId("mapping-ntfy-auth"))).filter((t) => t.name === "!Env").map((t) => t.value), [envNames.ntfyToken]);
  });
});

describe("admin-group-restriction on the deployed blueprints", () => {
  const edit = (change: (bp: Blueprint) => void) => {
    const bp = identityBlueprint(input);
    change(bp);
    return renderBlueprint(bp);
  };
  it("passes the generated blueprint", () => {
    assert.deepEqual(policyMessages(text), []);
  });
  it("fails when a family group is bound to an admin app", () => {
    const found = policyMessages(
      edit((bp) => {
        const binding = bp.entries.find((e) => e.model === "authentik_policies.policybinding" && keyOf(e.identifiers.target) === "app-grafana")!;
        bp.entries.push({ ...binding, identifiers: { ...binding.identifiers, order: 9 }, attrs: { ...binding.attrs, group: new BlueprintTag("!KeyOf", "group-family-validated") } });
      }),
    );
    assert.ok(found.some((m) => /application "grafana" is an admin app but also bound to "family-validated"/.test(m)), found.join("\n"));
  });
  it("fails when an application has no binding", () => {
    const found = policyMessages(edit((bp) => (bp.entries = bp.entries.filter((e) => !(e.model === "authentik_policies.policybinding" && keyOf(e.identifiers.target) === "app-nextcloud")))));
    assert.ok(found.some((m) => /application "nextcloud" has no policy binding/.test(m)), found.join("\n"));
  });
  it("fails when the enrollment flow does not require an invitation", () => {
    const found = policyMessages(edit((bp) => (bp.entries.find((e) => e.id === "stage-invitation")!.attrs.continue_flow_without_invitation = true)));
    assert.ok(found.some((m) => /enrollment flow "homelab-enrollment" does not start with an invitation stage/.test(m)), found.join("\n"));
  });
  it("reads the blueprint that the management VM really gets, from the cloud plan", async () => {
    const cloud = await examplePlan("cloud");
    const vm = cloud.resources.find((r) => r.name === "oci-mgmt")!;
    const files = untarGzip(Buffer.from((vm.inputs.metadata as Record<string, string>)["homelab-project"]!, "base64"));
    assert.equal(files.find((f) => f.path === "authentik/blueprints/homelab.yaml")!.content, text);
    assert.equal(cloud.outputs.oidcClientSecrets, "[secret]");
  });
});

describe("identity secrets reach the Authentik worker only through the secret bundle", () => {
  it("puts every !Env variable into secrets/authentik.env", () => {
    const env = Object.fromEntries(identityEnvNames("example.com", catalogApps).map((n) => [n, `value-of-${n.toLowerCase()}`]));
    const metadata = managementMetadata(
      { hostnames: { omni: "omni.example.com", omniSiderolink: "omni-siderolink.example.com", omniKube: "omni-kube.example.com", authentik: "auth.example.com" }, adminEmails: ["a@example.com"], omniAccountId: "u", resticRepository: "s3:x", region: "eu-paris-1", backupClasses: mgmtBackupSchedule(catalogApps), blueprints: { "homelab.yaml": text } },
      { authentikSecretKey: "k", authentikBootstrapPassword: "p", authentikBootstrapToken: "t", postgresPassword: "pg", tunnelToken: "tt", backupAccessKeyId: "a", backupSecretKey: "s", resticPassword: "r", acmeDnsApiToken: "d", authentikBlueprintEnv: env },
      "ssh-ed25519 AAAA x",
    );
    const authentikEnv = untarGzip(Buffer.from(metadata.secrets, "base64")).find((f) => f.path === "secrets/authentik.env")!.content;
    for (const name of identityEnvNames("example.com", catalogApps)) assert.match(authentikEnv, new RegExp(`^${name}='value-of-${name.toLowerCase()}'$`, "m"));
    assert.ok(!untarGzip(Buffer.from(metadata.project, "base64")).some((f) => f.content.includes("value-of-")));
  });
});

describe("homelab invite (against a local stand-in for Authentik)", () => {
  interface Seen {
    method: string;
    url: string;
    authorization?: string;
    body?: unknown;
  }
  let server: Server;
  let seen: Seen[];
  let url: string;
  let respond: (req: IncomingMessage, body: unknown) => [number, unknown];
  const flowPk = "6b8d1a5e-1f2a-4c3b-9d4e-5f6a7b8c9d0e";
  const invitePk = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
  const defaultResponder = (req: IncomingMessage, body: unknown): [number, unknown] => {
    const path = req.url ?? "";
    if (path.startsWith("/api/v3/core/groups/")) {
      const name = new URL(path, "http://x").searchParams.get("name");
      return [200, { pagination: {}, results: Object.values(groups).includes(name as never) ? [{ pk: "3c1e", num_pk: 1, name, is_superuser: false, parent: null, parent_name: null, users: [], users_obj: [], attributes: {}, roles: [], roles_obj: [] }] : [] }];
    }
    if (path.startsWith("/api/v3/flows/instances/")) return [200, { pagination: {}, results: [{ pk: flowPk, slug: flowSlugs.enrollment, name: "Join", title: "Join", designation: "enrollment" }] }];
    if (req.method === "POST" && path === "/api/v3/stages/invitation/invitations/") return [201, { pk: invitePk, ...(body as object), created_by: {} }];
    if (req.method === "GET" && path.startsWith("/api/v3/stages/invitation/invitations/")) {
      return [200, { pagination: {}, results: [{ pk: invitePk, name: "invite-ana", expires: "2026-12-05T19:00:00.000Z", fixed_data: { email: "ana@example.com", homelab_groups: ["family-validated"] }, created_by: {} }] }];
    }
    if (req.method === "DELETE") return [204, undefined];
    return [404, { detail: "not found" }];
  };

  beforeEach(async () => {
    seen = [];
    respond = defaultResponder;
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      req.on("end", () => {
        const body = raw ? (JSON.parse(raw) as unknown) : undefined;
        seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, ...(body !== undefined ? { body } : {}) });
        const [status, answer] = respond(req, body);
        res.writeHead(status, { "content-type": "application/json" });
        res.end(answer === undefined ? "" : JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function run(...args: string[]): Promise<{ code: number; out: string[] }> {
    const out: string[] = [];
    const code = await homelabCli(args, { AUTHENTIK_URL: url, AUTHENTIK_TOKEN: "test-token" }, (line) => out.push(line));
    return { code, out };
  }

  it("creates a single-use invitation for an e-mail with groups and an expiry, and prints the link", async () => {
    const { code, out } = await run("invite", "create", "--email", "ana@example.com", "--groups", "family-validated", "--expires", "48h");
    assert.equal(code, 0, out.join("\n"));
    assert.deepEqual(seen.map((s) => `${s.method} ${s.url}`), [
      "GET /api/v3/core/groups/?name=family-validated",
      `GET /api/v3/flows/instances/?slug=${flowSlugs.enrollment}`,
      "POST /api/v3/stages/invitation/invitations/",
    ]);
    assert.ok(seen.every((s) => s.authorization === "Bearer test-token"));
    const body = seen[2]!.body as { name: string; expires: string; fixed_data: unknown; single_use: boolean; flow: string };
    assert.deepEqual(body.fixed_data, { email: "ana@example.com", homelab_groups: ["family-validated"] });
    assert.equal(body.single_use, true);
    assert.equal(body.flow, flowPk);
    assert.match(body.name, /^invite-ana-\d{4}-\d{2}-\d{2}$/);
    const hours = (Date.parse(body.expires) - Date.now()) / 3600_000;
    assert.ok(hours > 47.9 && hours <= 48, `expires in ${hours} h`);
    assert.equal(out[1], `${url}/if/flow/${flowSlugs.enrollment}/?itoken=${invitePk}`);
  });

  it("lists and revokes invitations", async () => {
    const listed = await run("invite", "list");
    assert.equal(listed.code, 0);
    assert.deepEqual(listed.out, [`${invitePk}  ana@example.com  family-validated  expires 2026-12-05T19:00:00.000Z`]);
    assert.equal(seen[0]!.url, `/api/v3/stages/invitation/invitations/?flow__slug=${flowSlugs.enrollment}&ordering=expires`);
    const revoked = await run("invite", "revoke", invitePk);
    assert.equal(revoked.code, 0);
    assert.equal(`${seen[1]!.method} ${seen[1]!.url}`, `DELETE /api/v3/stages/invitation/invitations/${invitePk}/`);
  });

  it("refuses an unknown group before creating anything", async () => {
    const { code, out } = await run("invite", "create", "--email", "ana@example.com", "--groups", "family-validated,vip");
    assert.equal(code, 2);
    assert.match(out[0]!, /unknown group "vip": Authentik has no such group/);
    assert.ok(!seen.some((s) => s.method === "POST"));
  });

  it("says clearly when the token is refused", async () => {
    respond = () => [403, { detail: "Token invalid/expired" }];
    const { code, out } = await run("invite", "list");
    assert.equal(code, 1);
    assert.match(out[0]!, /Authentik refused the token \(HTTP 403\) while trying to list invitations: check AUTHENTIK_TOKEN/);
  });

  it("says clearly when Authentik cannot be reached", async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const closedUrl = url;
    const out: string[] = [];
    const code = await homelabCli(["invite", "list"], { AUTHENTIK_URL: closedUrl, AUTHENTIK_TOKEN: "t" }, (l) => out.push(l));
    assert.equal(code, 1);
    assert.match(out[0]!, new RegExp(`cannot reach Authentik at ${closedUrl.replace(/[.]/g, "\\.")}`));
  });

  it("rejects bad arguments with the usage", async () => {
    assert.equal((await run("invite", "create", "--email", "not-an-email", "--groups", "family-validated")).code, 2);
    assert.equal((await run("invite", "frobnicate")).code, 2);
    assert.equal((await run("invite", "create", "--email", "a@example.com", "--groups", "family-validated", "--expires", "3w")).code, 2);
  });
});

describe("catalog-derived SSO scope", () => {
  it("covers every admin app of story 3.3.3 with an admin-only binding", () => {
    for (const name of ["authentik-admin", "omni", "argocd", "grafana", "prometheus", "alertmanager", "ntfy", "longhorn", "hubble"]) {
      assert.ok(ssoApps(catalogApps).some((a) => a.name === name), name);
      assert.deepEqual([...catalog.find((a) => a.name === name)!.groups], [groups.admin]);
    }
  });
});
