/**
 * Issue 15: every app people reach is safe from its first minute, as planned. Apps whose first
 * visitor would become admin carry a setup container that claims the first-run endpoint and
 * gates the pod's readiness (so no route reaches the installer); each generated script passes
 * shellcheck and is run for real, twice, with busybox's sh (the setup image's shell) and curl
 * against a local stand-in of the app's first-run API. The other apps create their admin from a
 * secret, or are closed by their configuration; each of those is asserted from the planned
 * values with the upstream rule it relies on.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { apps, type AppRecord } from "../lib/catalog";
import { baikalVersion } from "../lib/platform/baikal";
import { tunnelRoutes } from "../lib/routes";
import { setupPaths } from "../lib/platform/setup";
import { assertToolPasses } from "../lib/validate/tools";
import type { StackPlan } from "../tooling/plan/plan";
import { examplePlan, preparedPlatform } from "./helpers";
import { envOf, objectNamed, templateValues, tunnelIngresses, valuesOf, type Cluster, type TemplateValues } from "./support/planned";

type Plans = Record<Cluster, StackPlan>;
const reachable = apps.filter((a) => a.exposure.kind === "tunnel" || a.exposure.kind === "lan");
const clusterOf = (app: AppRecord): Cluster => (app.placement.kind === "cluster" ? (app.placement.clusters.find((c) => c !== "dev") ?? app.placement.clusters[0]!) : "cloud") as Cluster;
const namespaceOf = (app: AppRecord) => (app.placement.kind === "cluster" ? app.placement.namespace : "");

/** An ExternalSecret's template rendered as External Secrets would, for the few forms the program writes. */
function renderTemplate(text: string, data: Record<string, string>): string {
  return text.replace(/\{\{\s*(?:printf "([^"]*)" )?\.([A-Za-z]+)\s*(?:\|\s*(toJson|quote|sha256sum))?\s*\}\}/g, (_, format: string | undefined, key: string, fn: string | undefined) => {
    const raw = data[key];
    if (raw === undefined) throw new Error(`template reads .${key}, which the ExternalSecret does not fetch`);
    const value = format ? format.replace("%s", raw) : raw;
    if (fn === "toJson" || fn === "quote") return JSON.stringify(value);
    if (fn === "sha256sum") return createHash("sha256").update(value).digest("hex");
    return value;
  });
}

/** The Secret an ExternalSecret would write, with test values for its Bitwarden keys. */
function externalSecretData(plan: StackPlan, cluster: Cluster, namespace: string, name: string, bitwarden: Record<string, string>): Record<string, string> {
  const es = objectNamed(plan, cluster, `externalsecret-${namespace}-${name}`) as unknown as { spec: { data: { secretKey: string; remoteRef: { key: string } }[]; target: { template?: { data: Record<string, string> } } } };
  const fetched = Object.fromEntries(es.spec.data.map((d) => [d.secretKey, bitwarden[d.remoteRef.key] ?? `value-of-${d.remoteRef.key}`]));
  const template = es.spec.target.template?.data;
  return template ? Object.fromEntries(Object.entries(template).map(([k, v]) => [k, renderTemplate(v, fetched)])) : fetched;
}

// ---------------------------------------------------------------------------------------------
// Stand-ins of the first-run APIs, each as its upstream behaves (the sources are named in
// lib/catalog/apps/first-boot.ts): the first claim creates the admin, later ones are refused.

interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}
/** Status, body, and the extra headers of the answer (a cookie). */
type Handler = (req: Request) => [number, unknown] | [number, unknown, Record<string, string>];
interface StandIn {
  state: Record<string, unknown>;
  handle: Handler;
}

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;
const form = (body: string) => new URLSearchParams(body);

const standIns: Record<string, () => StandIn> = {
  immich: () => {
    const state: Record<string, unknown> = {};
    return {
      state,
      handle: (r) => {
        if (r.path === "/api/server/ping") return [200, { res: "pong" }];
        if (r.method === "POST" && r.path === "/api/auth/admin-sign-up") {
          if (state.admin) return [400, { message: "The server already has an admin" }];
          state.admin = json(r.body);
          return [201, { id: "1" }];
        }
        return [404, {}];
      },
    };
  },
  navidrome: () => {
    const state: Record<string, unknown> = {};
    return {
      state,
      handle: (r) => {
        if (r.path === "/ping") return [200, "."];
        if (r.method === "POST" && r.path === "/auth/createAdmin") {
          if (state.admin) return [403, { error: "Cannot create another first admin" }];
          state.admin = json(r.body);
          return [200, { token: "t" }];
        }
        return [404, {}];
      },
    };
  },
  komga: () => {
    const state: Record<string, unknown> = {};
    return {
      state,
      handle: (r) => {
        if (r.method === "GET" && r.path === "/api/v1/claim") return [200, { isClaimed: Boolean(state.admin) }];
        if (r.method === "POST" && r.path === "/api/v1/claim") {
          if (state.admin) return [400, { message: "This server has already been claimed" }];
          state.admin = { email: r.headers["x-komga-email"], password: r.headers["x-komga-password"] };
          return [200, {}];
        }
        return [404, {}];
      },
    };
  },
  audiobookshelf: () => {
    const state: Record<string, unknown> = {};
    return {
      state,
      handle: (r) => {
        if (r.path === "/status") return [200, { app: "audiobookshelf", isInit: Boolean(state.admin) }];
        if (r.method === "POST" && r.path === "/init") {
          if (state.admin) return [500, "Internal Server Error"];
          state.admin = (json(r.body) as { newRoot: unknown }).newRoot;
          return [200, "OK"];
        }
        if (r.method === "POST" && r.path === "/login") {
          const { username, password } = json(r.body) as { username: string; password: string };
          const admin = state.admin as { username: string; password: string };
          return admin && admin.username === username && admin.password === password ? [200, { user: { id: "root", token: "root-token" } }] : [401, "Unauthorized"];
        }
        if (r.method === "PATCH" && r.path === "/api/auth-settings") {
          if (r.headers.authorization !== "Bearer root-token") return [401, "Unauthorized"];
          state.settings = json(r.body);
          return [200, { updated: true }];
        }
        return [404, {}];
      },
    };
  },
  romm: () => {
    const state: Record<string, unknown> = {};
    return {
      state,
      handle: (r) => {
        // RomM's CSRF middleware (starlette-csrf, backend/main.py 3.8.3): a POST without an
        // Authorization header needs the romm_csrftoken cookie echoed in x-csrftoken.
        if (r.method !== "GET" && !r.headers.authorization) {
          const cookie = /(?:^|;\s*)romm_csrftoken=([^;]+)/.exec(r.headers.cookie ?? "")?.[1];
          if (!cookie || r.headers["x-csrftoken"] !== cookie) return [403, "CSRF token verification failed"];
        }
        if (r.path === "/api/heartbeat") return [200, {}, { "Set-Cookie": "romm_csrftoken=signed.token-1; Path=/; SameSite=lax" }];
        if (r.method === "POST" && r.path === "/api/users") {
          if (state.admin) return [403, { detail: "Forbidden" }];
          state.admin = Object.fromEntries(r.query.entries());
          return [201, { id: 1 }];
        }
        return [404, {}];
      },
    };
  },
  n8n: () => {
    const state: Record<string, unknown> = {};
    return {
      state,
      handle: (r) => {
        if (r.path === "/healthz/readiness") return [200, { status: "ok" }];
        if (r.method === "POST" && r.path === "/rest/owner/setup") {
          if (state.admin) return [400, { message: "Instance owner already setup" }];
          state.admin = json(r.body);
          return [200, {}];
        }
        return [404, {}];
      },
    };
  },
  mealie: () => {
    const state: Record<string, unknown> = { password: "MyPassword" };
    return {
      state,
      handle: (r) => {
        if (r.path === "/api/app/about") return [200, {}];
        if (r.method === "POST" && r.path === "/api/auth/token") {
          const f = form(r.body);
          return f.get("username") === "changeme@example.com" && f.get("password") === state.password ? [200, { access_token: "tok" }] : [401, {}];
        }
        if (r.method === "PUT" && r.path === "/api/users/password" && r.headers.authorization === "Bearer tok") {
          const change = json(r.body) as { currentPassword: string; newPassword: string };
          if (change.currentPassword !== state.password) return [400, {}];
          state.password = change.newPassword;
          state.changes = ((state.changes as number | undefined) ?? 0) + 1;
          return [200, {}];
        }
        return [404, {}];
      },
    };
  },
  "home-assistant": () => {
    const steps = ["user", "core_config", "analytics", "integration"];
    const state: { done: string[]; owner?: unknown } = { done: [] };
    const authed = (r: Request) => r.headers.authorization === "Bearer access";
    const mark = (step: string): [number, unknown] => {
      if (state.done.includes(step)) return [403, { message: `${step} step already done` }];
      state.done.push(step);
      return [200, step === "integration" ? { auth_code: "again" } : {}];
    };
    return {
      state: state as unknown as Record<string, unknown>,
      handle: (r) => {
        if (r.method === "GET" && r.path === "/api/onboarding") return [200, steps.map((step) => ({ step, done: state.done.includes(step) }))];
        if (r.method === "POST" && r.path === "/api/onboarding/users") {
          if (state.done.includes("user")) return [403, { message: "User step already done" }];
          state.owner = json(r.body);
          state.done.push("user");
          return [200, { auth_code: "code" }];
        }
        if (r.method === "POST" && r.path === "/auth/token") {
          const f = form(r.body);
          return f.get("code") === "code" && f.get("grant_type") === "authorization_code" ? [200, { access_token: "access", token_type: "Bearer" }] : [400, {}];
        }
        const step = /^\/api\/onboarding\/(core_config|analytics|integration)$/.exec(r.path)?.[1];
        if (r.method === "POST" && step) return authed(r) ? mark(step) : [401, {}];
        return [404, {}];
      },
    };
  },
};

/** Python's json.dumps spacing, as Home Assistant and Authentik answer; the scripts must read it. */
const pythonJson = (value: unknown) => JSON.stringify(value).replace(/","/g, '", "').replace(/":/g, '": ').replace(/,\{/g, ", {");

async function serve(standIn: StandIn, fail = false): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://stand-in");
      const isClaim = req.method !== "GET" && !/\/(login|token)$/.test(url.pathname);
      const [status, payload, headers = {}] = fail && isClaim ? [500, { message: "boom" }] : standIn.handle({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body });
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(typeof payload === "string" ? payload : pythonJson(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** Runs a command without blocking the event loop (the stand-in answers from this process). */
function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** Runs a setup script with busybox sh against a stand-in: its secrets in a temporary folder, its loop ended once ready. */
async function runSetup(script: string, port: number, files: { secrets: Record<string, string>; oidc?: Record<string, string> }): Promise<{ code: number; output: string; ready: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), "homelab-setup-"));
  try {
    const write = (sub: string, content: Record<string, string>) => {
      const folder = join(dir, sub);
      mkdirSync(folder, { recursive: true });
      for (const [name, value] of Object.entries(content)) writeFileSync(join(folder, name), value);
      return folder;
    };
    const secrets = write("secrets", files.secrets);
    const oidc = write("oidc", files.oidc ?? {});
    const done = join(dir, "done");
    const text = script
      .replace(/http:\/\/127\.0\.0\.1:\d+/g, `http://127.0.0.1:${port}`)
      .replaceAll(setupPaths.secrets, secrets)
      .replaceAll(setupPaths.oidc, oidc)
      .replaceAll(setupPaths.done, done)
      .replaceAll("/tmp/homelab-setup-body", join(dir, "body"))
      .replace("while :; do sleep 3600; done", "exit 0");
    assert.notEqual(text, script);
    const result = await run("busybox", ["sh", "-c", text], 30_000);
    return { ...result, ready: existsSync(done) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const claimed = reachable.filter((a) => a.firstBoot?.mode === "claimed-by-setup");
/** A password that would break naive quoting anywhere: JSON, shell, URL, header. */
const hostilePassword = `p"a\\ss 'w$(x)%&=;`;
const bitwarden = (app: string) => ({ "homelab-admin-username": "operator", "homelab-admin-email": "operator@example.com", [`homelab-${app}-admin-password`]: hostilePassword });

describe("first boot: setup containers claim the first-run endpoint before the pod may get traffic", () => {
  let plans: Plans;
  before(async () => {
    // The drill needs the setup image's tools; a missing one is named with its Debian package.
    assertToolPasses("busybox", ["true"]);
    assertToolPasses("curl", ["--version"]);
    plans = { cloud: await examplePlan("cloud"), prod: await examplePlan("prod"), dev: await examplePlan("dev") };
  });

  it("covers every app whose first visitor would become admin", () => {
    assert.deepEqual(claimed.map((a) => a.name).sort(), ["audiobookshelf", "home-assistant", "immich", "komga", "mealie", "n8n", "navidrome", "romm"]);
    assert.deepEqual(Object.keys(standIns).sort(), claimed.map((a) => a.name).sort());
  });

  for (const app of claimed) {
    const cluster = clusterOf(app);
    it(`${app.name}: a setup container, ready only once done, gates the pod that the app's only Service selects`, () => {
      const values = templateValues(plans[cluster], cluster, app.name);
      const setup = values.controllers.app!.containers.setup!;
      assert.deepEqual(setup.probes?.readiness?.spec?.exec?.command, ["test", "-f", setupPaths.done]);
      assert.deepEqual(setup.command, ["/bin/sh", `${setupPaths.script}/setup.sh`]);
      // The app's Service selects this controller's pods and does not publish pods that are not ready.
      assert.deepEqual(Object.values(values.service).map((s) => [s.controller, s.publishNotReadyAddresses ?? false]), [["app", false]]);
      // Its secret from Bitwarden and its script from the platform, mounted into it alone.
      const firstBoot = app.firstBoot as { secret: string };
      assert.deepEqual(values.persistence!["setup-secret"], { type: "secret", name: firstBoot.secret, advancedMounts: { app: { setup: [{ path: setupPaths.secrets, readOnly: true }] } } });
      assert.ok(objectNamed(plans[cluster], cluster, `externalsecret-${namespaceOf(app)}-${firstBoot.secret}`));
      const script = (objectNamed(plans[cluster], cluster, `${app.name}-setup`).data as Record<string, string>)["setup.sh"]!;
      // It talks to the app inside the pod, on the port the app listens on.
      const port = Number(/http:\/\/127\.0\.0\.1:(\d+)/.exec(script)![1]);
      assert.equal(port, values.service.app!.ports.http!.targetPort);
      assertToolPasses("shellcheck", ["-s", "sh", "-"], script);
    });

    it(`${app.name}: the script claims the app once, is a no-op the second time, and never reports ready after a failure`, async () => {
      const script = (objectNamed(plans[cluster], cluster, `${app.name}-setup`).data as Record<string, string>)["setup.sh"]!;
      const secrets = externalSecretData(plans[cluster], cluster, namespaceOf(app), (app.firstBoot as { secret: string }).secret, bitwarden(app.name));
      for (const [name, value] of Object.entries(secrets)) if (name.endsWith(".json")) assert.doesNotThrow(() => JSON.parse(value), `${name} is not JSON`);
      const oidc = app.auth === "oidc" ? Object.fromEntries(Object.entries(preparedPlatform(cluster).secrets.find((s) => s.name === `${app.name}-oidc`)!.keys).flatMap(([k, v]) => (v.from === "oidcDocument" ? [[k, v.template.replaceAll("${clientSecret}", "client-secret")]] : []))) : {};
      const standIn = standIns[app.name]!();
      const server = await serve(standIn);
      try {
        const port = (server.address() as AddressInfo).port;
        const first = await runSetup(script, port, { secrets, oidc });
        assert.equal(first.code, 0, first.output);
        assert.ok(first.ready, first.output);
        const claimedState = JSON.stringify(standIn.state);
        const second = await runSetup(script, port, { secrets, oidc });
        assert.equal(second.code, 0, second.output);
        assert.ok(second.ready);
        // Nothing was claimed twice or changed by the second start.
        assert.equal(JSON.stringify(standIn.state), claimedState);
        // The admin's password arrived intact, whatever characters it holds.
        assert.ok(claimedState.includes(JSON.stringify(hostilePassword).slice(1, -1)), `${app.name}: ${claimedState}`);
      } finally {
        server.close();
      }
      const broken = await serve(standIns[app.name]!(), true);
      try {
        const result = await runSetup(script, (broken.address() as AddressInfo).port, { secrets, oidc });
        assert.notEqual(result.code, 0, result.output);
        assert.equal(result.ready, false);
        assert.match(result.output, /failed: HTTP 500/);
      } finally {
        broken.close();
      }
    });
  }

  it("a password changed in the app instead of Bitwarden does not take the app down: Audiobookshelf and Mealie still come up, nothing reopened", async () => {
    for (const [name, cluster, namespace, change] of [
      ["audiobookshelf", "prod", "media", (state: Record<string, unknown>) => ((state.admin as { password: string }).password = "changed-in-the-ui")],
      ["mealie", "cloud", "mealie", (state: Record<string, unknown>) => (state.password = "changed-in-the-ui")],
    ] as const) {
      const standIn = standIns[name]!();
      const server = await serve(standIn);
      try {
        const plan = plans[cluster];
        const secrets = externalSecretData(plan, cluster, namespace, `${name}-admin`, bitwarden(name));
        const oidc: Record<string, string> = name === "audiobookshelf" ? { "auth-settings.json": "{}" } : {};
        const script = (objectNamed(plan, cluster, `${name}-setup`).data as Record<string, string>)["setup.sh"]!;
        const port = (server.address() as AddressInfo).port;
        assert.equal((await runSetup(script, port, { secrets, oidc })).code, 0);
        change(standIn.state);
        const again = await runSetup(script, port, { secrets, oidc });
        assert.equal(again.code, 0, again.output);
        assert.ok(again.ready, again.output);
        assert.match(again.output, /not the one in Bitwarden|nor the one in Bitwarden/);
      } finally {
        server.close();
      }
    }
  });

  it("Audiobookshelf: the settings it posts are the app's OIDC client, with the client secret", async () => {
    const standIn = standIns.audiobookshelf!();
    const server = await serve(standIn);
    try {
      const secrets = externalSecretData(plans.prod, "prod", "media", "audiobookshelf-admin", bitwarden("audiobookshelf"));
      const template = (preparedPlatform("prod").secrets.find((s) => s.name === "audiobookshelf-oidc")!.keys["auth-settings.json"] as { template: string }).template;
      const script = (objectNamed(plans.prod, "prod", "audiobookshelf-setup").data as Record<string, string>)["setup.sh"]!;
      const ran = await runSetup(script, (server.address() as AddressInfo).port, { secrets, oidc: { "auth-settings.json": template.replaceAll("${clientSecret}", "client-secret") } });
      assert.equal(ran.code, 0, ran.output);
      const settings = standIn.state.settings as Record<string, unknown>;
      assert.deepEqual([settings.authOpenIDClientID, settings.authOpenIDClientSecret, settings.authOpenIDIssuerURL], ["audiobookshelf", "client-secret", "https://auth.example.com/application/o/audiobookshelf/"]);
      assert.deepEqual(settings.authActiveAuthMethods, ["local", "openid"]);
    } finally {
      server.close();
    }
  });
});

/** The closing configuration of each app that has no endpoint to claim, read from the plan. */
const closedOrSeeded: Record<string, (plans: Plans) => void> = {
  // Signups and invitations off, no admin token (panel disabled): only an SSO login creates an account (src/api/identity.rs).
  vaultwarden: ({ cloud }) => {
    const env = envOf(templateValues(cloud, "cloud", "vaultwarden").controllers.app!.containers.app!);
    assert.deepEqual([env.SIGNUPS_ALLOWED, env.INVITATIONS_ALLOWED, env.SSO_ENABLED], ["false", "false", "true"]);
    assert.ok(!("ADMIN_TOKEN" in env) && !("DISABLE_ADMIN_TOKEN" in env));
  },
  // docker-entrypoint.sh installs unattended only when both admin variables are set.
  nextcloud: ({ cloud }) => {
    const env = envOf(templateValues(cloud, "cloud", "nextcloud").controllers.app!.containers.app!);
    assert.deepEqual([env.NEXTCLOUD_ADMIN_USER, env.NEXTCLOUD_ADMIN_PASSWORD], ["secret:nextcloud-admin/username", "secret:nextcloud-admin/password"]);
  },
  // The installer runs while config/baikal.yaml is missing, older than the running version, or without admin hash (Framework.php).
  baikal: ({ cloud }) => {
    const values = templateValues(cloud, "cloud", "baikal");
    const seed = values.controllers.app!.initContainers!.seed!.command![2]!;
    assert.match(seed, /\[ -f \/var\/www\/baikal\/config\/baikal\.yaml \] \|\| cp \/seed\/baikal\.yaml /);
    assert.match(seed, /sqlite3 \/var\/www\/baikal\/Specific\/db\/db\.sqlite < \/var\/www\/baikal\/Core\/Resources\/Db\/SQLite\/db\.sql/);
    const config = parse(externalSecretData(cloud, "cloud", "baikal", "baikal-seed", { "homelab-baikal-admin-password": "hunter2" })["baikal.yaml"]!) as { system: Record<string, unknown>; database: Record<string, unknown> };
    assert.equal(config.system.configured_version, baikalVersion());
    // Baïkal's own hash: sha256("admin:" + realm + ":" + password) (BaikalAdmin/Core/Auth.php).
    assert.equal(config.system.admin_passwordhash, createHash("sha256").update(`admin:${String(config.system.auth_realm)}:hunter2`).digest("hex"));
    assert.equal(config.database.sqlite_file, "/var/www/baikal/Specific/db/db.sqlite");
    // Its admin UI never reaches the internet.
    const dav = tunnelIngresses(cloud, "cloud").filter((i) => i.hostname === "dav.example.com");
    assert.deepEqual(dav.map((i) => [i.path, i.service]), [["^/admin", "http_status:404"], [undefined, "http://baikal.baikal.svc:80"]]);
  },
  // No installer: the dashboard, configure page, debrid proxy and Stremio API take secrets from Bitwarden.
  comet: ({ cloud }) => {
    const env = envOf(templateValues(cloud, "cloud", "comet").controllers.app!.containers.app!);
    for (const key of ["ADMIN_DASHBOARD_PASSWORD", "CONFIGURE_PAGE_PASSWORD", "PUBLIC_API_TOKEN", "PROXY_DEBRID_STREAM_PASSWORD", "PROXY_DEBRID_STREAM_DEBRID_DEFAULT_APIKEY"]) assert.match(env[key] ?? "", /^secret:comet\//, key);
    assert.ok(!("REALDEBRID_API_KEY" in env), "Comet never reads REALDEBRID_API_KEY");
  },
  // Public and stateless: no secret, no volume.
  glance: ({ cloud }) => {
    const values = templateValues(cloud, "cloud", "glance");
    assert.deepEqual(envOf(values.controllers.app!.containers.app!), {});
    assert.deepEqual(Object.values(values.persistence!).map((p) => p.type), ["configMap"]);
  },
  // Registration reachable only through the outpost.
  invidious: ({ cloud }) => {
    assert.deepEqual(tunnelIngresses(cloud, "cloud").filter((i) => i.hostname === "tube.example.com").map((i) => i.service), ["http://authentik-outpost.authentik-outpost.svc:9000"]);
  },
  // AdGuard's seeded configuration holds the admin's bcrypt hash from Bitwarden.
  "adguard-home": ({ prod }) => {
    const config = parse(externalSecretData(prod, "prod", "adguard", "adguard-seed", { "homelab-adguard-admin-bcrypt": "$2y$10$hash" })["AdGuardHome.yaml"]!) as { users: { name: string; password: string }[] };
    assert.deepEqual(config.users, [{ name: "admin", password: "$2y$10$hash" }]);
  },
};

describe("first boot: the apps with nothing to claim are closed by their configuration", () => {
  let plans: Plans;
  before(async () => {
    plans = { cloud: await examplePlan("cloud"), prod: await examplePlan("prod"), dev: await examplePlan("dev") };
  });

  it("every family or public app people reach has its first-boot evidence here, a setup container, or the outpost in front", () => {
    const family = reachable.filter((a) => a.tier !== "admin" && a.placement.kind === "cluster");
    for (const app of family) assert.ok(app.firstBoot?.mode === "claimed-by-setup" || closedOrSeeded[app.name] || app.auth === "outpost", `${app.name} has no first-boot check`);
  });

  it("an app closed by the outpost is reached only through it, on every hostname (a scaffolded app starts so)", () => {
    for (const app of reachable.filter((a) => a.auth === "outpost" && a.firstBoot?.mode === "closed")) {
      for (const route of tunnelRoutes("example.com", apps).filter((r) => r.app === app.name)) {
        const rules = tunnelIngresses(plans.cloud, route.location as "cloud" | "prod").filter((i) => i.hostname === route.hostname);
        assert.deepEqual(rules.map((i) => i.service), ["http://authentik-outpost.authentik-outpost.svc:9000"], route.hostname);
      }
    }
  });

  for (const [name, check] of Object.entries(closedOrSeeded)) {
    it(`${name}: ${apps.find((a) => a.name === name)!.firstBoot!.mode}`, () => check(plans));
  }

  it("the checks can fail: Nextcloud without its admin variables, Baïkal with an older configured version", () => {
    const plan = structuredClone(plans.cloud);
    const env = (valuesOf(plan, "cloud", "nextcloud") as unknown as TemplateValues).controllers.app!.containers.app!.env!;
    delete env.NEXTCLOUD_ADMIN_USER;
    assert.throws(() => closedOrSeeded.nextcloud!({ ...plans, cloud: plan }), /NEXTCLOUD_ADMIN_USER|secret:nextcloud-admin\/username/);
    const seed = plan.resources.find((r) => r.name === "cloud-externalsecret-baikal-baikal-seed")!.inputs as { spec: { target: { template: { data: Record<string, string> } } } };
    seed.spec.target.template.data["baikal.yaml"] = seed.spec.target.template.data["baikal.yaml"]!.replace(/configured_version: '[^']*'/, "configured_version: '0.9.0'");
    assert.throws(() => closedOrSeeded.baikal!({ ...plans, cloud: plan }), /0\.9\.0/);
  });

  it("the Nextcloud hook that declares the OIDC provider passes shellcheck, and never stops Nextcloud if the app store is away", () => {
    const hook = (objectNamed(plans.cloud, "cloud", "nextcloud-hooks").data as Record<string, string>)["10-oidc.sh"]!;
    assertToolPasses("shellcheck", ["-s", "sh", "-"], hook);
    assert.match(hook, /app:install user_oidc \|\| \{ .*exit 0; \}/);
    const mount = templateValues(plans.cloud, "cloud", "nextcloud").persistence!["nextcloud-hooks"]!;
    // docker-entrypoint.sh runs only executable *.sh of the hook folder.
    assert.deepEqual([mount.defaultMode, mount.advancedMounts?.app?.app?.[0]?.path], [0o755, "/docker-entrypoint-hooks.d/before-starting"]);
  });
});
