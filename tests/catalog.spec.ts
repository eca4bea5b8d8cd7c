import { strict as assert } from "node:assert";
import { apps, catalog, catalogProblems, groups, tierBindingProblems, unhonouredFields, type AppRecord } from "../lib/catalog";
import { chartServiceName, helmFullname } from "../lib/platform/chart-services";
import { appsOnCluster } from "../lib/platform/cluster-context";
import { appOrigin, tunnelRoutes } from "../lib/routes";

describe("app catalog", () => {
  it("is consistent (names, tiers, bindings, subdomains, LAN-only placement)", () => {
    assert.deepEqual(catalogProblems(apps), []);
  });

  it("refuses takesUsbDevices where no renderer passes the devices in: a chart app, an app off PROD", () => {
    const withUsb = (name: string, change: (a: AppRecord) => AppRecord = (a) => a) =>
      catalogProblems(apps.map((a) => (a.name === name ? change({ ...a, takesUsbDevices: true }) : a)));
    assert.deepEqual(withUsb("grafana").filter((p) => p.includes("takesUsbDevices")), [
      'catalog entry "grafana": takesUsbDevices needs deploy.kind "template" (the app-template renderer passes the devices in); remove it or deploy the app with a template spec',
    ]);
    assert.match(withUsb("vaultwarden").find((p) => p.includes("takesUsbDevices")) ?? "", /"vaultwarden": takesUsbDevices needs the app on PROD/);
    assert.deepEqual(withUsb("home-assistant"), []);
  });

  it("holds every app the stories name", () => {
    const names = new Set<string>(catalog.map((a) => a.name));
    for (const app of ["omni", "authentik", "argocd", "cilium", "cert-manager", "external-secrets", "external-dns", "longhorn", "local-path", "nfs-csi",
      "twingate-connector", "prometheus", "grafana", "loki", "alloy", "alertmanager", "ntfy", "adguard-home", "authentik-outpost", "velero", "nextcloud",
      "vaultwarden", "baikal", "comet", "navidrome", "lidarr", "home-assistant", "audiobookshelf", "komga", "romm", "glance", "immich", "n8n", "mealie", "invidious"]) {
      assert.ok(names.has(app), `catalog lacks ${app}`);
    }
  });

  it("binds the admin apps of story 3.3.3 to admin only", () => {
    for (const name of ["authentik-admin", "omni", "argocd", "grafana", "prometheus", "alertmanager", "ntfy", "longhorn", "hubble"]) {
      const app = apps.find((a) => a.name === name)!;
      assert.equal(app.tier, "admin", name);
      assert.deepEqual([...app.groups], [groups.admin], name);
    }
  });

  it("orders a cluster's apps by sync wave (0 platform … 4 user apps)", () => {
    const waves = appsOnCluster("prod", apps).map((a) => (a.placement.kind === "cluster" ? a.placement.syncWave : -1));
    assert.deepEqual(waves, [...waves].sort((a, b) => a - b));
    assert.equal(waves[0], 0);
    assert.equal(waves[waves.length - 1], 4);
  });

  it("rejects a catalog whose admin app admits the family, or with a duplicated subdomain", () => {
    const grafana = apps.find((a) => a.name === "grafana")!;
    const broken: AppRecord[] = [...apps.filter((a) => a.name === "prometheus"), { ...grafana, groups: [groups.admin, groups.family] }, { ...grafana, name: "grafana-copy" }];
    const problems = catalogProblems(broken);
    assert.ok(problems.some((p) => /catalog entry "grafana": is an admin app but also bound to "family-validated"/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /catalog entry "grafana-copy": subdomain "grafana" is already used by "grafana"/.test(p)), problems.join("\n"));
  });

  it("allows a direct exposure only for the exception's own admin app on the management VM", () => {
    const omni = apps.find((a) => a.name === "omni")!;
    const nextcloud = apps.find((a) => a.name === "nextcloud")!;
    assert.deepEqual(catalogProblems(apps.filter((a) => a.name.startsWith("omni") || a.name === "authentik")).filter((p) => /direct|exception/.test(p)), []);
    const family: AppRecord = { ...nextcloud, exposure: { kind: "direct", subdomain: "cloud", exception: "omni-api" } };
    const problems = catalogProblems([family]);
    assert.ok(problems.some((p) => /ingress exception "omni-api" belongs to "omni"/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /a direct exposure exists only on the management VM/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /must be tier "admin" with the app's own sign-in/.test(p)), problems.join("\n"));
    const stolen: AppRecord = { ...omni, name: "omni-copy", exposure: { kind: "direct", subdomain: "omni-copy", exception: "omni-siderolink" } };
    assert.ok(catalogProblems([stolen]).some((p) => /belongs to "omni-siderolink"; one exception opens one app's port/.test(p)));
  });

  it("rejects LAN-only exposure on the CLOUD cluster", () => {
    const adguard = apps.find((a) => a.name === "adguard-home")!;
    const moved: AppRecord = { ...adguard, placement: { kind: "cluster", clusters: ["cloud"], namespace: "adguard", syncWave: 2, resources: { cpuM: 30, memoryMi: 128 } } };
    assert.ok(catalogProblems([moved]).some((p) => p.includes("LAN-only exposure exists on home clusters only")));
  });

  it("tier bindings: admin only admin, family only family groups, public none", () => {
    assert.deepEqual(tierBindingProblems("admin", ["admin"]), []);
    assert.deepEqual(tierBindingProblems("family", ["family-validated"]), []);
    assert.deepEqual(tierBindingProblems("public", []), []);
    assert.equal(tierBindingProblems("admin", []).length, 1);
    assert.equal(tierBindingProblems("family", []).length, 1);
    assert.equal(tierBindingProblems("public", ["family-validated"]).length, 1);
  });
});

describe("tunnel routes", () => {
  const routes = tunnelRoutes("example.com", apps);
  it("gives every tunnel app a hostname on the right tunnel", () => {
    const byHost = new Map(routes.map((r) => [r.hostname, r]));
    assert.equal(byHost.get("auth.example.com")?.location, "mgmt");
    assert.equal(byHost.get("cloud.example.com")?.location, "cloud");
    assert.equal(byHost.get("grafana.example.com")?.location, "prod");
    assert.equal(byHost.get("cloud.example.com")?.origin, "http://nextcloud.nextcloud.svc:8080");
  });
  it("suffixes apps that run on several clusters and never routes to DEV", () => {
    const argocd = routes.filter((r) => r.app === "argocd").map((r) => r.hostname);
    assert.deepEqual(argocd.sort(), ["argocd-cloud.example.com", "argocd-prod.example.com"]);
    assert.ok(routes.every((r) => !r.hostname.includes("-dev.")));
  });
  it("has unique hostnames and no LAN-only or internal app", () => {
    assert.equal(new Set(routes.map((r) => r.hostname)).size, routes.length);
    assert.ok(!routes.some((r) => ["adguard-home", "authentik-outpost", "loki", "cilium"].includes(r.app)));
  });
});

describe("tunnel origins follow from the record", () => {
  const routes = tunnelRoutes("example.com", apps);
  const route = (app: string, location?: string) => routes.find((r) => r.app === app && (!location || r.location === location))!;
  // The app's own Service (for an app behind the outpost, what the outpost forwards to).
  const origin = (app: string, location?: string) => {
    const record = apps.find((a) => a.name === app)!;
    return record.exposure.kind === "tunnel" ? appOrigin(record, record.exposure, apps) : route(app, location).origin;
  };

  it("names app-template Services after the app (Immich answers as immich, not immich-server)", () => {
    assert.equal(origin("immich"), "http://immich.immich.svc:2283");
    assert.equal(origin("nextcloud"), "http://nextcloud.nextcloud.svc:8080");
  });

  it("names chart Services by the chart's own rule, read in its templates at the pinned version", () => {
    // argo-cd's values set nameOverride: argocd, so release "argocd" is the fullname.
    assert.equal(origin("argocd", "prod"), "http://argocd-server.argocd.svc:80");
    assert.equal(helmFullname("argocd", "argocd"), "argocd");
    assert.equal(helmFullname("gitops", "argocd"), "gitops-argocd");
    // kube-prometheus-stack's fullname is cut at 26 characters; Grafana is a subchart of the same release.
    assert.equal(origin("grafana"), "http://kube-prometheus-stack-grafana.monitoring.svc:80");
    assert.equal(origin("alertmanager", "cloud"), "http://kube-prometheus-stack-alertmanager.monitoring.svc:9093");
    assert.equal(chartServiceName("kubePrometheusStack", "kube-prometheus-stack-homelab-monitoring", undefined, "prometheus"), "kube-prometheus-stack-home-prometheus");
    assert.equal(origin("hubble"), "http://hubble-ui.kube-system.svc:80");
    assert.equal(origin("longhorn"), "http://longhorn-frontend.longhorn-system.svc:80");
    // Their tunnel route goes to the outpost of their cluster, which forwards there.
    for (const app of ["hubble", "longhorn", "alertmanager", "prometheus"]) assert.equal(route(app, "prod").origin, "http://authentik-outpost.authentik-outpost.svc:9000", app);
    assert.equal(helmFullname("x", "y", "forced"), "forced");
  });

  it("refuses a chart component without a naming rule, a hand-named template Service, and a cluster app with no deployment", () => {
    const withRecords = (...changed: AppRecord[]) => catalogProblems([...apps.filter((a) => !changed.some((c) => c.name === a.name)), ...changed]);
    const grafana = apps.find((a) => a.name === "grafana")!;
    const mealie = apps.find((a) => a.name === "mealie")!;
    const problems = [
      ...withRecords({ ...grafana, exposure: { kind: "tunnel", subdomain: "grafana", service: "grafana-ui", port: 80 } }),
      ...withRecords({ ...mealie, exposure: { kind: "tunnel", subdomain: "recipes", service: "mealie-web", port: 9000 } }),
      ...withRecords({ ...mealie, deploy: undefined }),
    ];
    assert.ok(problems.some((p) => /"grafana": exposure.service "grafana-ui" has no naming rule for chart kubePrometheusStack \(lib\/platform\/chart-services.ts knows: prometheus, alertmanager, grafana\)/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /"mealie": exposure.service is for third-party charts; an app-template Service is named after the app/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /"mealie": runs in a cluster but has no deploy field; fill it/.test(p)), problems.join("\n"));
  });
});

describe("catalog fields that nothing honours yet", () => {
  it("lists each such field with the apps that set it", () => {
    const fields = unhonouredFields(apps);
    const byField = new Map(fields.map((f) => [f.field, f.apps]));
    for (const [field, list] of byField) assert.ok(list.length > 0, field);
    // auth "outpost" is honoured (the outpost is the origin), so it is never reported.
    assert.ok(!fields.some((f) => f.field.includes("auth")));
    const withoutBackups = apps.map((a) => ({ ...a, backup: "none" as const }));
    assert.ok(!unhonouredFields(withoutBackups).some((f) => f.field === "backup"));
  });
});

describe("catalog check: hostile and unusual records", () => {
  const base = (name: string) => apps.find((a) => a.name === name)!;
  const problemsWith = (...changed: AppRecord[]) => catalogProblems([...apps.filter((a) => !changed.some((c) => c.name === a.name)), ...changed]);
  const expectProblem = (problems: string[], pattern: RegExp) => assert.ok(problems.some((p) => pattern.test(p)), `${pattern} not in:\n${problems.join("\n")}`);

  it("requires each role the program needs, once, on an app with a hostname", () => {
    const ntfy = base("ntfy");
    expectProblem(problemsWith({ ...ntfy, role: undefined }), /catalog: no app has role "notifications" \(receives alerts and security events \(ntfy\)\); set role: "notifications"/);
    expectProblem(problemsWith({ ...base("mealie"), role: "notifications" }), /catalog: role "notifications" is played by "ntfy" and "mealie"|role "notifications" is played by "mealie" and "ntfy"/);
    expectProblem(problemsWith({ ...ntfy, exposure: { kind: "internal" }, auth: "app-native" }), /"ntfy": role "notifications" needs a public hostname, but its exposure is "internal"/);
  });

  it("refuses an app people reach without a first-boot mode, and sign-in paths that do not exist (issue 15)", () => {
    const mealie = base("mealie");
    expectProblem(problemsWith({ ...mealie, firstBoot: undefined }), /"mealie": is reachable \(tunnel\) but declares no firstBoot: say how its first start is safe/);
    expectProblem(problemsWith({ ...base("grafana"), firstBoot: { mode: "claimed-by-setup", secret: "x", script: () => ({ waitFor: "", steps: "" }) } }), /"grafana": firstBoot "claimed-by-setup" runs a setup container in the app's pod, which only app-template apps get/);
    expectProblem(problemsWith({ ...mealie, sso: { oidc: { callbacks: [] } } }), /"mealie": signs in with OIDC but sso\.oidc\.callbacks is empty/);
    expectProblem(problemsWith({ ...mealie, auth: "app-native" }), /"mealie": sso\.oidc describes an OIDC client, but auth is "app-native"/);
    // An outpost app on a cluster where no outpost runs would have no route at all.
    const outpost = base("authentik-outpost");
    expectProblem(problemsWith({ ...outpost, placement: { ...(outpost.placement as Extract<AppRecord["placement"], { kind: "cluster" }>), clusters: ["prod"] } }), /"invidious": signs in through Authentik's outpost, but no app provides one on cloud/);
    expectProblem(problemsWith({ ...outpost, exposure: { kind: "tunnel", subdomain: "outpost", port: 9000 } }), /"authentik-outpost": role "auth-proxy" runs in a cluster with exposure "internal"/);
  });

  it("refuses placements that cannot work: no cluster, a cluster twice, a part where its release does not run, a tunnel app on DEV only", () => {
    const mealie = base("mealie");
    const placement = mealie.placement as Extract<AppRecord["placement"], { kind: "cluster" }>;
    expectProblem(problemsWith({ ...mealie, placement: { ...placement, clusters: [] } }), /"mealie": placement.clusters is empty/);
    expectProblem(problemsWith({ ...mealie, placement: { ...placement, clusters: ["cloud", "cloud"] } }), /"mealie": placement.clusters names a cluster twice/);
    expectProblem(problemsWith({ ...mealie, placement: { ...placement, clusters: ["dev"] } }), /"mealie": is on the tunnel but runs only on dev, which has no tunnel/);
    expectProblem(problemsWith({ ...mealie, placement: { ...placement, namespace: "Recipes_1" } }), /"mealie": placement.namespace "Recipes_1" is not a Kubernetes namespace name/);
    const grafana = base("grafana");
    const grafanaPlacement = grafana.placement as Extract<AppRecord["placement"], { kind: "cluster" }>;
    const onDevToo = problemsWith({ ...grafana, placement: { ...grafanaPlacement, clusters: ["prod", "cloud"] } });
    assert.deepEqual(onDevToo, []);
    const prometheus = base("prometheus");
    expectProblem(problemsWith({ ...prometheus, placement: { ...(prometheus.placement as typeof grafanaPlacement), clusters: ["cloud"] } }), /"grafana": is part of "prometheus" on prod, where "prometheus" does not run/);
    expectProblem(problemsWith({ ...grafana, deploy: { kind: "part-of", app: "prometheus-x", component: "grafana" } }), /"grafana": is part of "prometheus-x", which is not in the catalog/);
  });

  it("checks ports and names: a chart Service on another port, a subdomain that is no DNS label, a Compose service the VM lacks", () => {
    expectProblem(problemsWith({ ...base("prometheus"), exposure: { kind: "tunnel", subdomain: "prometheus", service: "prometheus", port: 9091 } }), /"prometheus": exposure.port 9091 is not the port chart kubePrometheusStack gives its prometheus Service \(9090\); use 9090/);
    expectProblem(problemsWith({ ...base("mealie"), exposure: { kind: "tunnel", subdomain: "Recipes!", port: 9000 } }), /"mealie": exposure.subdomain "Recipes!" is not a DNS label/);
    expectProblem(problemsWith({ ...base("mealie"), exposure: { kind: "tunnel", subdomain: "recipes", port: 70000 } }), /"mealie": exposure.port 70000 is not a port/);
    expectProblem(problemsWith({ ...base("omni"), placement: { kind: "mgmt-vm", composeService: "omni-v2" } }), /"omni": placement.composeService "omni-v2" is not a service of the management VM's Compose project/);
  });

  it("refuses two records that would write the same Secret or get the same hostname", () => {
    const comet = base("comet");
    expectProblem(problemsWith({ ...comet, bitwardenSecrets: [{ name: "invidious", namespace: "invidious", keys: { k: "homelab-x" } }] }), /Secret invidious\/invidious on cloud is also written by/);
    // argocd runs on prod and cloud, so its hostnames are argocd-prod and argocd-cloud.
    expectProblem(problemsWith({ ...base("mealie"), exposure: { kind: "tunnel", subdomain: "argocd-cloud", port: 9000 } }), /its hostname argocd-cloud\.<domain> is also/);
  });
});
