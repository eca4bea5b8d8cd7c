import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { classPolicies, drillCronJobName, drillNamePrefix, drillScratchGi, staleAfterSeconds } from "../lib/backup/classes";
import { clusterBackupItems } from "../lib/backup/items";
import { apps, defineApp, groups, type AppRecord } from "../lib/catalog";
import { unhonouredFields } from "../lib/catalog/checks";
import { defaultInventory } from "../lib/inventory";
import { metricLabels } from "../lib/markers";
import { backupRules } from "../lib/monitoring/rules";
import { specsOn } from "../lib/platform/cluster-context";
import type { PreparedPlatform } from "../lib/platform/prepare";
import { validateKubernetesObject, type KubernetesObject } from "../lib/validate/kubernetes";
import { charts, images } from "../lib/versions";
import { ConfigError } from "../lib/config/errors";
import { loadStackConfig } from "../lib/config/load";
import { backupObjects } from "../lib/platform/backup-objects";
import { editObject, exampleConfig, exampleContext, plan, preparedPlatform, withKey } from "./helpers";

const valuesOf = (prepared: PreparedPlatform, app: string) => prepared.applications.find((a) => a.app.name === app)!.values as Record<string, unknown>;
const objectsOf = (prepared: PreparedPlatform, kind: string) => prepared.objects.map((o) => o.object).filter((o) => o.kind === kind);

describe("backups: classes drive what is copied where", () => {
  it("the plan lists per class what is backed up, with which tool, where and how often, and the bucket's budget", async () => {
    const result = await plan(["cloud", "prod"]);
    const cloud = result.stacks.find((s) => s.stack === "cloud")!;
    const rows = cloud.backups!.rows.map((r) => `${r.backupClass}: ${r.what} → ${r.tool} → ${r.destination}`);
    assert.ok(rows.includes("critical: volume vaultwarden (cloud/vaultwarden, vaultwarden) → Volsync restic → oci:homelab-backups"), rows.join("\n"));
    assert.ok(rows.includes("critical: database nextcloud-db (cloud/nextcloud, nextcloud) → CloudNativePG WAL + base backups → oci:homelab-backups"));
    assert.ok(rows.includes("critical: vm-files /data/omni (oci-mgmt, omni) → restic (management VM) → oci:homelab-backups"));
    assert.ok(rows.includes("standard: volume mealie (cloud/mealie, mealie) → Velero file-system backup → oci:homelab-backups"));
    // Bulk data names its destination or why it has none.
    assert.ok(rows.some((r) => r.startsWith("bulk: volume nextcloud (cloud/nextcloud, nextcloud) → nothing copies it → not off-site: no free off-site target yet")), rows.join("\n"));
    assert.match(cloud.backups!.classes.critical, /^every 1 day, keep .*alert after 27 h without success, restore drill every day$/);
    // Comet's /app/data (its cache and token, issue 15) is class none with the app.
    assert.deepEqual(cloud.backups!.notBackedUp, ["comet (a volume, class none)", "invidious (a database, class none)"]);
    const prod = result.stacks.find((s) => s.stack === "prod")!;
    assert.ok(prod.backups!.rows.some((r) => r.what.startsWith("dataset media/photos") && r.destination === "zfs usb-backup/tank (second pool on the same host: not off-site)" && !r.offsite));
    // The bucket's budget: every cluster and the VM, within the Always Free allowance.
    const stored = cloud.budgets["offsite.oci.storedGb"]!;
    const requests = cloud.budgets["offsite.oci.requestsPerMonth"]!;
    assert.deepEqual([stored.limit, stored.enforced, requests.limit, requests.enforced], [20, true, 50_000, true]);
    assert.ok(stored.used > 5 && stored.used <= 20, String(stored.used));
    assert.ok(requests.used > 10_000 && requests.used <= 50_000, String(requests.used));
  });

  it("fails the plan when the bucket's allowance would be exceeded (a paid tenancy has 10 GB of Standard tier)", async () => {
    const raw = editObject<{ tenancy: string }>(exampleConfig("cloud"), "homelab:backup", (b) => (b.tenancy = "paid"));
    const cloud = (await plan(["cloud"], { cloud: raw })).stacks[0]!;
    assert.equal(cloud.ok, false);
    assert.ok(cloud.violations.some((v) => v.policy === "capacity-budget" && /^offsite\.oci\.storedGb: [\d.]+ GB asked, 10 GB available/.test(v.message)), JSON.stringify(cloud.violations));
  });

  it("fails the plan when a record's critical data outgrows the bucket", async () => {
    const photos = defineApp({
      name: "photo-vault",
      title: "Photo vault",
      description: "A critical app with a large volume",
      tier: "family",
      groups: [groups.family],
      placement: { kind: "cluster", clusters: ["cloud"], namespace: "photo-vault", syncWave: 4, resources: { cpuM: 10, memoryMi: 32 } },
      deploy: { kind: "template", spec: () => ({ image: "vaultwarden", containerPort: 80, data: { path: "/data", size: "40Gi" } }) },
      exposure: { kind: "internal" },
      auth: "none",
      backup: "critical",
      stories: [],
    });
    const { planStacks } = await import("../tooling/plan/plan");
    const { createProgram } = await import("../stacks/program");
    const inventory = { ...defaultInventory, apps: [...apps, photos as AppRecord] };
    const cloud = (await planStacks({ stacks: ["cloud"], program: createProgram(inventory) })).stacks[0]!;
    assert.ok(cloud.violations.some((v) => /^offsite\.oci\.storedGb: [\d.]+ GB asked, 20 GB available .*; fed by the records' backup class and backupSize .*; fix: give the records a backupSize/.test(v.message)), JSON.stringify(cloud.violations));
  });

  it("refuses bulk data that names no destination, naming the key and the fix, before any resource", async () => {
    const raw = editObject<{ zfs: Record<string, unknown> }>(exampleConfig("prod"), "homelab:hypervisor", (h) => delete h.zfs.replication);
    const prod = (await plan(["prod"], { prod: raw })).stacks.find((s) => s.stack === "prod")!;
    assert.equal(prod.ok, false);
    assert.equal(prod.resources.length, 0);
    assert.ok(prod.configErrors.some((e) => /^homelab:hypervisor\.zfs\.replication: the datasets media\/films, .* are class bulk; name where syncoid copies them/.test(e)), prod.configErrors.join("\n"));
    const cloudRaw = editObject<Record<string, unknown>>(exampleConfig("cloud"), "homelab:platform", (p) => delete p.bulkBackup);
    const cloud = (await plan(["cloud"], { cloud: cloudRaw })).stacks[0]!;
    assert.ok(cloud.configErrors.some((e) => /^homelab:platform\.bulkBackup: the catalog puts bulk volumes on cloud \(nextcloud\/nextcloud\)/.test(e)), cloud.configErrors.join("\n"));
  });

  it("refuses the old bucket-wide retention key with the reason", async () => {
    const raw = withKey(exampleConfig("cloud"), "homelab:backup", { bucketName: "homelab-backups", retentionDays: 30 });
    const cloud = (await plan(["cloud"], { cloud: raw })).stacks[0]!;
    assert.ok(cloud.configErrors.some((e) => /homelab:backup\.retentionDays.*breaks every repository/.test(e)), cloud.configErrors.join("\n"));
  });

  it("refuses a bulk destination the movers cannot use or that would show a password, without echoing it", () => {
    const problemsWith = (stack: "cloud" | "prod", key: string, edit: (value: Record<string, unknown>) => void): string[] => {
      try {
        loadStackConfig(stack, editObject<Record<string, unknown>>(exampleConfig(stack), key, edit));
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return [...error.problems];
        throw error;
      }
    };
    const bulk = (value: Record<string, unknown>) => (p: Record<string, unknown>) => (p.bulkBackup = { kind: "restic", passwordKey: "homelab-bulk-restic-password", ...value });
    const withPassword = problemsWith("cloud", "homelab:platform", bulk({ repository: "rest:https://admin:S3cr3tPassw0rd@backup.example.org:8000/homelab" }));
    assert.equal(withPassword.length, 1, withPassword.join("\n"));
    assert.match(withPassword[0]!, /^homelab:platform\.bulkBackup\.repository = "rest:https:\/\/admin:\[hidden\]@backup\.example\.org:8000\/homelab": a user or password in the address .* put them in Bitwarden/);
    const sftp = problemsWith("cloud", "homelab:platform", bulk({ repository: "sftp:backup@nas.home.example:/srv/restic" }));
    assert.match(sftp.join("\n"), /bulkBackup\.repository = .*sftp is not possible: Volsync's mover has no SSH key/);
    const s3WithoutKeys = problemsWith("cloud", "homelab:platform", bulk({ repository: "s3:https://minio.home.example/bucket/homelab" }));
    assert.deepEqual(s3WithoutKeys.map((p) => p.split(" = ")[0]), ["homelab:platform.bulkBackup.accessKeyIdKey", "homelab:platform.bulkBackup.secretAccessKeyKey"]);
    const halfRest = problemsWith("cloud", "homelab:platform", bulk({ repository: "rest:https://nas.home.example:8000/homelab", restUsernameKey: "homelab-bulk-rest-user" }));
    assert.match(halfRest.join("\n"), /^homelab:platform\.bulkBackup\.restPasswordKey = \(missing\): is required but missing; a REST server's user and password go together; .*fix: pulumi config set --path 'homelab:platform\.bulkBackup\.restPasswordKey'/);
    assert.deepEqual(problemsWith("cloud", "homelab:platform", bulk({ repository: "rest:https://nas.home.example:8000/homelab", restUsernameKey: "homelab-bulk-rest-user", restPasswordKey: "homelab-bulk-rest-password" })), []);
    // A "second copy" on the media pool itself is no copy (and the pool as target is the source).
    for (const target of ["tank", "tank/copy"]) {
      const samePool = problemsWith("prod", "homelab:hypervisor", (h) => ((h.zfs as Record<string, unknown>).replication = { kind: "zfs", target }));
      assert.deepEqual(samePool, [`homelab:hypervisor.zfs.replication.target = "${target}": on the media pool tank itself, so a disk failure takes the copy too; fix: name a dataset on a second pool (a USB disk, a spare drive), such as usb-backup/tank`]);
    }
    // An SSH target with a password is refused and the password is not shown.
    const ssh = problemsWith("prod", "homelab:hypervisor", (h) => ((h.zfs as Record<string, unknown>).replication = { kind: "ssh", target: "root:hunter2secret@backup.example.org:tank/media" }));
    assert.equal(ssh.length, 1);
    assert.ok(!ssh[0]!.includes("hunter2secret"), ssh[0]);
    assert.match(ssh[0]!, /^homelab:hypervisor\.zfs\.replication\.target = "root:\[hidden\]@backup\.example\.org:tank\/media": expected user@host:pool\/dataset/);
  });

  it("hands a REST server's user and password to Volsync's mover from Bitwarden", () => {
    const ctx = { ...exampleContext("cloud"), bulkBackup: { kind: "restic" as const, repository: "rest:https://nas.home.example:8000/homelab", passwordKey: "pw", restUsernameKey: "user-key", restPasswordKey: "rest-pw-key" } };
    const objects = backupObjects(ctx, { restic: "", database: "" }).objects.map((o) => o.object as unknown as { kind: string; metadata: { name: string }; spec: { data: { secretKey: string; remoteRef: { key: string } }[] } });
    const merge = objects.find((o) => o.kind === "ExternalSecret" && o.metadata.name === "nextcloud-volsync-password")!;
    assert.deepEqual(Object.fromEntries(merge.spec.data.map((d) => [d.secretKey, d.remoteRef.key])), { RESTIC_PASSWORD: "pw", RESTIC_REST_USERNAME: "user-key", RESTIC_REST_PASSWORD: "rest-pw-key" });
  });

  it("no longer reports the backup field as unhonoured", () => {
    assert.ok(!unhonouredFields(apps).some((f) => f.field === "backup"));
  });
});

describe("backups: Kubernetes objects", () => {
  const cloud = preparedPlatform("cloud");
  const prod = preparedPlatform("prod");

  it("Velero: one schedule per class with its namespaces, volume data by opt-in only, NFS skipped, OCI's S3 settings, metrics scraped", () => {
    const velero = valuesOf(cloud, "velero") as {
      schedules: Record<string, { schedule: string; template: { includedNamespaces: string[]; ttl: string; defaultVolumesToFsBackup: boolean; resourcePolicy: { name: string } } }>;
      configuration: { backupStorageLocation: { config: Record<string, unknown>; validationFrequency: string }[]; extraEnvVars: { name: string; value: string }[]; defaultVolumesToFsBackup?: boolean };
      metrics: { serviceMonitor: { enabled: boolean } };
      configMaps: Record<string, { data: Record<string, string> }>;
      initContainers: { image: string }[];
    };
    assert.deepEqual(Object.keys(velero.schedules).sort(), ["critical", "standard"]);
    assert.deepEqual(velero.schedules.critical!.template.includedNamespaces.sort(), ["baikal", "immich", "nextcloud", "vaultwarden"]);
    assert.ok(velero.schedules.standard!.template.includedNamespaces.includes("media"));
    assert.equal(velero.schedules.critical!.template.ttl, classPolicies.critical.veleroTtl);
    assert.equal(velero.schedules.critical!.schedule, "0 2 * * *");
    assert.equal(velero.schedules.standard!.schedule, "0 3 * * 0");
    for (const schedule of Object.values(velero.schedules)) {
      assert.equal(schedule.template.defaultVolumesToFsBackup, false);
      assert.equal(schedule.template.resourcePolicy.name, "velero-volume-policy");
    }
    assert.equal(velero.configuration.defaultVolumesToFsBackup, undefined);
    assert.match(velero.configMaps["volume-policy"]!.data["policy.yaml"]!, /nfs: \{\}\n    action:\n      type: skip/);
    assert.match(velero.configMaps["volume-policy"]!.data["policy.yaml"]!, /driver: nfs\.csi\.k8s\.io/);
    assert.equal(velero.configuration.backupStorageLocation[0]!.config.checksumAlgorithm, "");
    assert.equal(velero.configuration.backupStorageLocation[0]!.validationFrequency, "12h");
    assert.deepEqual(velero.configuration.extraEnvVars.map((e) => `${e.name}=${e.value}`), ["AWS_REQUEST_CHECKSUM_CALCULATION=when_required", "AWS_RESPONSE_CHECKSUM_VALIDATION=when_required"]);
    assert.equal(velero.metrics.serviceMonitor.enabled, true);
    assert.equal(velero.initContainers[0]!.image, `${images.veleroPluginAws.repository}:${images.veleroPluginAws.tag}`);
  });

  it("the AWS plugin's minor line matches the chart's Velero (plugin README matrix)", () => {
    // velero-plugin-for-aws README: v1.14.x ↔ Velero v1.18.x, v1.13.x ↔ v1.17.x, v1.12.x ↔ v1.16.x.
    const veleroOfChart: Record<string, string> = { "12.1.0": "1.18" };
    const pluginFor = (velero: string) => `v1.${Number(velero.split(".")[1]) - 4}`;
    const velero = veleroOfChart[charts.velero.version];
    assert.ok(velero, `chart ${charts.velero.version} is not in the table; read its appVersion and add it`);
    assert.ok(images.veleroPluginAws.tag.startsWith(`${pluginFor(velero)}.`), `plugin ${images.veleroPluginAws.tag} is not the Velero ${velero} line (${pluginFor(velero)}.x)`);
    assert.ok(!"v1.12.0".startsWith(`${pluginFor(velero)}.`), "the check accepts the Velero 1.16 line");
  });

  it("standard volumes opt in to Velero's file-system backup; critical ones and NFS media never do", () => {
    const annotationsOf = (prepared: PreparedPlatform, app: string) => (valuesOf(prepared, app).defaultPodOptions as { annotations?: Record<string, string> }).annotations ?? {};
    assert.equal(annotationsOf(prod, "komga")["backup.velero.io/backup-volumes"], "data");
    assert.equal(annotationsOf(prod, "adguard-home")["backup.velero.io/backup-volumes"], "data,conf");
    assert.equal(annotationsOf(cloud, "vaultwarden")["backup.velero.io/backup-volumes"], undefined);
    assert.equal(annotationsOf(cloud, "immich")["backup.velero.io/backup-volumes"], undefined, "NFS photos would be swept toward the bucket");
  });

  it("local-path makes local PVs, which Velero can read (it skips hostPath)", () => {
    const values = valuesOf(cloud, "local-path") as { storageClass: { defaultVolumeType: string } };
    assert.equal(values.storageClass.defaultVolumeType, "local");
  });

  it("Volsync: a restic ReplicationSource per critical volume, Direct copy, class retention, password from Bitwarden, valid against its CRD", () => {
    const sources = objectsOf(cloud, "ReplicationSource");
    assert.deepEqual(sources.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort(), ["baikal/baikal-config", "baikal/baikal-data", "vaultwarden/vaultwarden"]);
    const vaultwarden = sources.find((s) => s.metadata.name === "vaultwarden")! as unknown as { spec: { sourcePVC: string; trigger: { schedule: string }; restic: { copyMethod: string; repository: string; retain: Record<string, number> } } };
    assert.equal(vaultwarden.spec.sourcePVC, "vaultwarden");
    assert.equal(vaultwarden.spec.restic.copyMethod, "Direct");
    assert.deepEqual(vaultwarden.spec.restic.retain, { daily: 7, weekly: 4, monthly: 6 });
    assert.match(vaultwarden.spec.trigger.schedule, /^\d+ 2 \* \* \*$/);
    for (const source of sources) validateKubernetesObject(source as unknown as KubernetesObject);
    const password = objectsOf(cloud, "ExternalSecret").find((e) => e.metadata.name === "vaultwarden-volsync-password")! as unknown as { spec: { target: { name: string; creationPolicy: string }; data: { secretKey: string; remoteRef: { key: string } }[] } };
    assert.deepEqual(password.spec.target, { name: "vaultwarden-volsync", creationPolicy: "Merge" });
    assert.deepEqual(password.spec.data, [{ secretKey: "RESTIC_PASSWORD", remoteRef: { key: "homelab-volsync-restic-password" } }]);
    validateKubernetesObject(password as unknown as KubernetesObject);
    const secret = cloud.secrets.find((s) => s.name === "vaultwarden-volsync")!;
    assert.deepEqual(secret.keys.RESTIC_REPOSITORY, { from: "backup", part: "resticRepository", path: "volsync/cloud/vaultwarden/vaultwarden" });
    const ns = cloud.namespaces.find((n) => n.metadata.name === "vaultwarden")!;
    assert.equal(ns.metadata.annotations?.["volsync.backube/privileged-movers"], "true");
    // The bulk volume whose config says "none" gets no source.
    assert.ok(!sources.some((s) => s.metadata.name === "nextcloud"));
  });

  it("CloudNativePG: WAL archive and weekly base backups for every classed database, none for class none, valid against the CRDs", () => {
    const clusters = objectsOf(cloud, "Cluster") as unknown as { metadata: { name: string }; spec: { backup?: { retentionPolicy: string; barmanObjectStore: { serverName: string; destinationPath: string } }; postgresql?: { parameters?: Record<string, string> } } }[];
    const nextcloud = clusters.find((c) => c.metadata.name === "nextcloud-db")!;
    assert.equal(nextcloud.spec.backup!.retentionPolicy, classPolicies.critical.databaseWindow);
    assert.equal(nextcloud.spec.backup!.barmanObjectStore.serverName, "cnpg-cloud-nextcloud-db");
    assert.equal(nextcloud.spec.backup!.barmanObjectStore.destinationPath, "s3://homelab-backups");
    assert.equal(nextcloud.spec.postgresql!.parameters!.archive_timeout, "1h");
    assert.equal(clusters.find((c) => c.metadata.name === "n8n-db")!.spec.postgresql!.parameters!.archive_timeout, "6h");
    assert.equal(clusters.find((c) => c.metadata.name === "invidious-db")!.spec.backup, undefined);
    // Only databases with a backup carry the label DatabaseBackupMissing selects: Invidious's primary
    // reports a last-backup timestamp of 0 forever and would page every day.
    const relabelled = (name: string) => (clusters.find((c) => c.metadata.name === name) as unknown as { spec: { monitoring: { podMonitorRelabelings?: { targetLabel: string; replacement: string }[] } } }).spec.monitoring.podMonitorRelabelings;
    assert.deepEqual(relabelled("nextcloud-db"), [{ targetLabel: metricLabels.backupClass, replacement: "critical" }]);
    assert.equal(relabelled("invidious-db"), undefined);
    assert.match(backupRules().find((r) => r.alert === "DatabaseBackupMissing")!.expr, new RegExp(`\\{${metricLabels.backupClass}!=""\\}`));
    for (const cluster of clusters) validateKubernetesObject(cluster as unknown as KubernetesObject);
    const scheduled = objectsOf(cloud, "ScheduledBackup");
    assert.deepEqual(scheduled.map((s) => s.metadata.name).sort(), ["immich-db-weekly", "n8n-db-weekly", "nextcloud-db-weekly"]);
    for (const s of scheduled) validateKubernetesObject(s as unknown as KubernetesObject);
    assert.equal((scheduled[0] as unknown as { spec: { schedule: string } }).spec.schedule.split(" ").length, 6, "CNPG schedules have a seconds field");
  });

  it("restore drills: a CronJob per critical backup running the suite's drill scripts, valid Kubernetes", () => {
    const drills = objectsOf(cloud, "CronJob");
    assert.deepEqual(drills.map((d) => `${d.metadata.namespace}/${d.metadata.name}`).sort(), [
      "baikal/restore-drill-daily-baikal-config",
      "baikal/restore-drill-daily-baikal-data",
      "immich/restore-drill-weekly-immich-db",
      "nextcloud/restore-drill-weekly-nextcloud-db",
      "vaultwarden/restore-drill-daily-vaultwarden",
      "volsync-system/restore-drill-daily-oci-mgmt-critical",
    ]);
    const files = join(__dirname, "../lib/backup/files");
    for (const drill of drills) {
      validateKubernetesObject(drill as unknown as KubernetesObject);
      const container = (drill as unknown as { spec: { jobTemplate: { spec: { backoffLimit: number; template: { spec: { containers: { command: string[]; env: { name: string; value?: string }[] }[] } } } } } }).spec.jobTemplate.spec;
      assert.equal(container.backoffLimit, 0);
      const script = container.template.spec.containers[0]!.command[2]!;
      const file = drill.metadata.name.startsWith(drillNamePrefix.weekly) ? "drill-database.sh" : "drill-restic.sh";
      assert.equal(script, readFileSync(join(files, file), "utf8"));
    }
    const vaultwarden = drills.find((d) => d.metadata.name === "restore-drill-daily-vaultwarden")! as unknown as { spec: { jobTemplate: { spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } } } } };
    const env = Object.fromEntries(vaultwarden.spec.jobTemplate.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]));
    assert.equal(env.MAX_AGE_SECONDS, String(staleAfterSeconds("critical")));
    assert.equal(objectsOf(prod, "CronJob").map((d) => d.metadata.name).join(), "restore-drill-daily-home-assistant");
  });

  it("restore drills: scratch space as large as what they restore, the VM's repository drilled per class, names that keep their cadence", () => {
    type Drill = { metadata: { name: string }; spec: { jobTemplate: { spec: { template: { spec: { volumes: { emptyDir: { sizeLimit: string } }[]; containers: { env: { name: string; value?: string }[] }[] } } } } } };
    const drills = objectsOf(cloud, "CronJob") as unknown as Drill[];
    const scratch = (name: string) => drills.find((d) => d.metadata.name === name)!.spec.jobTemplate.spec.template.spec.volumes[0]!.emptyDir.sizeLimit;
    // A drill's scratch follows what its item holds (was a fixed 4Gi: a larger restore got the pod evicted).
    const items = clusterBackupItems("cloud", cloud.context.apps, specsOn(cloud.context));
    for (const [name, item] of [["restore-drill-weekly-nextcloud-db", "nextcloud-db"], ["restore-drill-daily-vaultwarden", "vaultwarden"]] as const) {
      const sizeGi = items.find((i) => i.name === item)!.sizeGi;
      assert.equal(scratch(name), `${drillScratchGi(sizeGi)}Gi`);
      assert.ok(drillScratchGi(sizeGi) > sizeGi, name);
    }
    assert.ok(drillScratchGi(5) > 5 && drillScratchGi(0.1) === 1 && drillScratchGi(40) === 51);
    const mgmtEnv = Object.fromEntries(drills.find((d) => d.metadata.name === "restore-drill-daily-oci-mgmt-critical")!.spec.jobTemplate.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]));
    assert.equal(mgmtEnv.DRILL_TAG, "class=critical");
    assert.equal(mgmtEnv.MAX_AGE_SECONDS, String(staleAfterSeconds("critical")));
    // A long name keeps its cadence prefix (RestoreDrillStale reads it), fits 52 characters and stays distinct.
    const long = "a-family-app-with-a-really-long-name-and-its-data-volume";
    const a = drillCronJobName("weekly", `${long}-db`);
    const b = drillCronJobName("weekly", `${long}-dc`);
    assert.ok(a.startsWith(drillNamePrefix.weekly) && a.length <= 52 && b.length <= 52 && a !== b, `${a} ${b}`);
    assert.match(a, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    assert.equal(drillCronJobName("daily", "baikal"), "restore-drill-daily-baikal");
  });

  it("every item the plan counts for a cluster has its objects (no class silently dropped)", () => {
    const ctx = cloud.context;
    const items = clusterBackupItems("cloud", ctx.apps, specsOn(ctx));
    for (const item of items.filter((i) => i.tool === "volsync" && classPolicies[i.backupClass].destination === "object-storage")) {
      assert.ok(objectsOf(cloud, "ReplicationSource").some((s) => s.metadata.name === item.name), item.name);
    }
    for (const item of items.filter((i) => i.tool === "cloudnative-pg")) assert.ok(objectsOf(cloud, "ScheduledBackup").some((s) => s.metadata.name === `${item.name}-weekly`), item.name);
  });
});

describe("backups: every alert is fed by a metric a cluster scrapes", () => {
  /** Metric families of the backup rules → the setting that makes a cluster scrape them. */
  function unscraped(prepared: PreparedPlatform): string[] {
    const families = new Set(backupRules().flatMap((r) => r.expr.match(/\b(velero|volsync|cnpg|kube)_[a-z_]+/g) ?? []).map((m) => m.split("_")[0]!));
    const problems: string[] = [];
    const running = (name: string) => prepared.applications.some((a) => a.app.name === name);
    for (const family of families) {
      if (family === "velero" && running("velero") && (valuesOf(prepared, "velero").metrics as { serviceMonitor?: { enabled?: boolean } } | undefined)?.serviceMonitor?.enabled !== true) problems.push("velero_*: Velero's ServiceMonitor is off");
      if (family === "volsync" && running("volsync") && (valuesOf(prepared, "volsync").metrics as { disableAuth?: boolean }).disableAuth !== true) problems.push("volsync_*: the metrics endpoint asks for a token the ServiceMonitor lacks");
      if (family === "cnpg") for (const c of objectsOf(prepared, "Cluster") as unknown as { metadata: { name: string }; spec: { monitoring?: { enablePodMonitor?: boolean } } }[]) if (c.spec.monitoring?.enablePodMonitor !== true) problems.push(`cnpg_*: ${c.metadata.name} has no PodMonitor`);
      if (family === "kube" && (valuesOf(prepared, "prometheus") as { kubeStateMetrics?: { enabled?: boolean } }).kubeStateMetrics?.enabled === false) problems.push("kube_*: kube-state-metrics is off");
    }
    return problems;
  }

  it("on every cluster", () => {
    for (const cluster of ["dev", "prod", "cloud"] as const) assert.deepEqual(unscraped(preparedPlatform(cluster)), [], cluster);
  });

  it("and the check can fail: Velero's ServiceMonitor switched off", () => {
    const prepared = preparedPlatform("cloud");
    const velero = prepared.applications.find((a) => a.app.name === "velero")!;
    velero.values = { ...velero.values, metrics: { enabled: true, serviceMonitor: { enabled: false } } };
    assert.deepEqual(unscraped(prepared), ["velero_*: Velero's ServiceMonitor is off"]);
  });
});
