/**
 * Issue 15: at home, the family reaches the apps that run at home on the LAN Gateway, by names
 * AdGuard Home answers with the Gateway's address, instead of hairpinning through Cloudflare;
 * admin apps stay behind Access only; DEV's ArgoCD, which has no tunnel, is reachable on DEV's
 * Gateway. And the family's dashboard is a page Glance accepts, with the weather.
 */
import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { apps } from "../lib/catalog";
import { lanNames } from "../lib/platform/adguard";
import { validateKubernetesObject, type KubernetesObject } from "../lib/validate/kubernetes";
import type { StackPlan } from "../tooling/plan/plan";
import { editObject, exampleConfig, examplePlan, preparedPlatform, withoutKey } from "./helpers";
import { objectNamed, objectsOfKind, templateValues, valuesOf } from "./support/planned";

interface HttpRoute {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { parentRefs: { name: string; namespace: string; sectionName: string }[]; hostnames: string[]; rules: { backendRefs: { name: string; port: number }[] }[] };
}

describe("LAN access: HTTPRoutes on the home Gateway, names from AdGuard", () => {
  let prod: StackPlan;
  let dev: StackPlan;
  before(async () => {
    prod = await examplePlan("prod");
    dev = await examplePlan("dev");
  });
  const routesOf = (plan: StackPlan) => objectsOfKind(plan, "HTTPRoute") as unknown as HttpRoute[];

  it("PROD: every family app at home, and no admin app, gets a route with its public name to its Service", () => {
    const routes = routesOf(prod);
    assert.deepEqual(routes.map((r) => r.metadata.labels["homelab.dev/app"]).sort(), ["audiobookshelf", "home-assistant", "komga"]);
    const familyAtHome = apps.filter((a) => a.tier === "family" && a.exposure.kind === "tunnel" && a.placement.kind === "cluster" && a.placement.clusters.includes("prod"));
    assert.deepEqual(familyAtHome.map((a) => a.name).sort(), ["audiobookshelf", "home-assistant", "komga"]);
    for (const route of routes) {
      const app = route.metadata.labels["homelab.dev/app"]!;
      const values = templateValues(prod, "prod", app);
      assert.deepEqual(route.spec.parentRefs.map((p) => [p.namespace, p.name, p.sectionName]), [["kube-system", "homelab", "https"]]);
      assert.deepEqual(route.spec.rules[0]!.backendRefs, [{ kind: "Service", name: app, port: values.service.app!.ports.http!.port }]);
      // The name the family already uses: one certificate (the Gateway's wildcard), one OIDC redirect.
      assert.match(route.spec.hostnames[0]!, /^[a-z-]+\.example\.com$/);
      // No public DNS record from external-dns: public DNS keeps pointing at the tunnel.
      assert.equal(JSON.stringify(route).includes("homelab.dev/dns"), false);
      validateKubernetesObject(route as unknown as KubernetesObject);
    }
  });

  it("DEV: ArgoCD, which has no tunnel there, is reached on DEV's Gateway with the name its OIDC client registers", () => {
    const routes = routesOf(dev);
    assert.deepEqual(routes.map((r) => [r.metadata.labels["homelab.dev/app"], r.spec.hostnames[0], r.spec.rules[0]!.backendRefs[0]!.name]), [["argocd", "argocd-dev.example.com", "argocd-server"]]);
    assert.equal((valuesOf(dev, "dev", "argocd") as { global: { domain: string } }).global.domain, "argocd-dev.example.com");
  });

  it("AdGuard answers each LAN name with its cluster's Gateway (A only: AAAA gets an empty answer), re-read from a file every hour", () => {
    const list = (objectNamed(prod, "prod", "adguard-lan-names").data as Record<string, string>)[lanNames.file]!;
    assert.deepEqual(list.split("\n").filter((l) => l.startsWith("||")).sort(), [
      "||argocd-dev.example.com^$dnsrewrite=NOERROR;A;192.0.2.241",
      "||audiobooks.example.com^$dnsrewrite=NOERROR;A;192.0.2.225",
      "||comics.example.com^$dnsrewrite=NOERROR;A;192.0.2.225",
      "||ha.example.com^$dnsrewrite=NOERROR;A;192.0.2.225",
    ]);
    const mount = templateValues(prod, "prod", "adguard-home").persistence![lanNames.configMap]!;
    assert.equal(mount.advancedMounts?.app?.app?.[0]?.path, lanNames.directory);
  });

  it("without homelab:devGatewayIp, DEV's names are simply not answered", () => {
    const raw = withoutKey(exampleConfig("prod"), "homelab:devGatewayIp");
    const names = preparedPlatform("prod", raw).objects.find((o) => o.object.metadata.name === lanNames.configMap)!.object as unknown as { data: Record<string, string> };
    assert.ok(!names.data[lanNames.file]!.includes("argocd-dev"));
    assert.ok(names.data[lanNames.file]!.includes("audiobooks.example.com"));
  });

  it("Home Assistant runs on the node's network for discovery, trusts only the tunnel's and the Gateway's networks, and gets a USB stick pinned to its VM when config names one", () => {
    const values = templateValues(prod, "prod", "home-assistant");
    assert.equal(values.defaultPodOptions?.hostNetwork, true);
    const seed = preparedPlatform("prod").objects.find((o) => o.object.metadata.name === "home-assistant-seed")!.object as unknown as { data: Record<string, string> };
    const config = parse(seed.data["configuration.yaml"]!.replace(/!include\S*/g, "")) as { http: { use_x_forwarded_for: boolean; trusted_proxies: string[] } };
    assert.deepEqual(config.http.trusted_proxies, ["10.244.0.0/16", "192.0.2.0/24"]);
    const raw = editObject<unknown>({ ...exampleConfig("prod"), "homelab:usbDevices": { value: "[]", secret: false } }, "homelab:usbDevices", (list) => (list as unknown[]).push({ app: "home-assistant", id: "10c4:ea60", path: "/dev/ttyUSB0" }));
    const withUsb = preparedPlatform("prod", raw).applications.find((a) => a.app.name === "home-assistant")!.values as unknown as { defaultPodOptions: { nodeSelector: Record<string, string> }; controllers: { app: { containers: { app: { securityContext: { privileged: boolean } } } } }; persistence: Record<string, { type: string; hostPath: string }> };
    assert.deepEqual(withUsb.defaultPodOptions.nodeSelector, { "kubernetes.io/hostname": "prod-worker-1" });
    assert.equal(withUsb.controllers.app.containers.app.securityContext.privileged, true);
    assert.deepEqual(Object.values(withUsb.persistence).filter((p) => p.type === "hostPath").map((p) => p.hostPath), ["/dev/ttyUSB0"]);
  });
});

/**
 * Glance's own rules for a configuration (internal/glance/config.go isConfigStateValid and the
 * widgets' initialize, v0.7.13): pages with a name, at most 3 columns (2 when slim), sizes small or
 * full, one or two full columns; a weather widget needs a location; a monitor site a title and URL.
 */
function glanceProblems(config: { pages?: { name?: string; width?: string; columns?: { size?: string; widgets?: { type: string; location?: string; sites?: { title?: string; url?: string }[] }[] }[] }[] }): string[] {
  const problems: string[] = [];
  if (!config.pages?.length) return ["no pages configured"];
  config.pages.forEach((page, i) => {
    if (!page.name) problems.push(`page ${i + 1} has no name`);
    const columns = page.columns ?? [];
    if (columns.length === 0) problems.push(`page ${i + 1} has no columns`);
    if (columns.length > (page.width === "slim" ? 2 : 3)) problems.push(`page ${i + 1} has too many columns`);
    if (columns.some((c) => c.size !== "small" && c.size !== "full")) problems.push(`page ${i + 1}: size can only be either small or full`);
    const full = columns.filter((c) => c.size === "full").length;
    if (full === 0 || full > 2) problems.push(`page ${i + 1} must have either 1 or 2 full width columns`);
    for (const widget of columns.flatMap((c) => c.widgets ?? [])) {
      if (widget.type === "weather" && !widget.location) problems.push("weather widget without location");
      if (widget.type === "monitor" && (widget.sites ?? []).some((s) => !s.title || !s.url)) problems.push("monitor site without title or url");
    }
  });
  return problems;
}

describe("the family dashboard (Glance)", () => {
  let cloud: StackPlan;
  before(async () => {
    cloud = await examplePlan("cloud");
  });
  const config = () => parse((objectNamed(cloud, "cloud", "glance-config").data as Record<string, string>)["glance.yml"]!) as Parameters<typeof glanceProblems>[0];

  it("is a page Glance accepts, with the weather of homelab:dashboard and every family app, and nothing for admins", () => {
    const page = config();
    assert.deepEqual(glanceProblems(page), []);
    const widgets = page.pages![0]!.columns!.flatMap((c) => c.widgets ?? []);
    assert.deepEqual(widgets.find((w) => w.type === "weather")!.location, "Paris, France");
    const sites = widgets.find((w) => w.type === "monitor")!.sites!.map((s) => s.url).sort();
    const family = apps.filter((a) => a.tier === "family" && a.exposure.kind === "tunnel" && a.exposure.clients !== "machines").map((a) => a.exposure.kind === "tunnel" ? a.exposure.subdomain : "");
    assert.deepEqual(sites, family.map((s) => `https://${s}.example.com`).sort());
    assert.ok(!sites.some((s) => /grafana|argocd|omni|prometheus/.test(s!)));
  });

  it("mounts where the image reads it, without a second --config", () => {
    const values = templateValues(cloud, "cloud", "glance");
    assert.equal(values.controllers.app!.containers.app!.args, undefined);
    assert.equal(values.persistence!["glance-config"]!.advancedMounts?.app?.app?.[0]?.path, "/app/config");
  });

  it("the rules can fail: three full columns, a weather widget with no place", () => {
    const page = config();
    const broken = structuredClone(page);
    broken.pages![0]!.columns = [{ size: "full" }, { size: "full" }, { size: "full", widgets: [{ type: "weather" }] }];
    assert.deepEqual(glanceProblems(broken), ["page 1 must have either 1 or 2 full width columns", "weather widget without location"]);
  });
});
