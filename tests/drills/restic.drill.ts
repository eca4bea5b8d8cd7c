/**
 * Restore drill, restic (what Volsync's movers and the management VM write): back up twice as a
 * mover does, prune, check every pack, then run the cluster's drill script (the same file the
 * restore-drill CronJobs run) and compare the restored files' checksums with the source. A wrong
 * password, a damaged pack and a stale snapshot each make the drill fail.
 *
 * Debian's restic is 0.14 (the clusters run 0.18.x in Volsync's mover and restic/restic:0.18.0
 * on the VM); the repository format (v2, compressed) and every command used here exist in both.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { startLocalS3, type LocalS3 } from "./s3";

const script = join(__dirname, "../../lib/backup/files/drill-restic.sh");

function checksums(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(root);
  return out;
}

describe("restore drill: restic repository on S3 (real restic, local S3)", function () {
  this.timeout(300_000);
  let s3: LocalS3;
  let work: string;
  let env: Record<string, string>;

  const restic = (args: string[], extra: Record<string, string> = {}, cwd?: string) =>
    spawnSync("restic", args, { env: { ...env, ...extra }, cwd, encoding: "utf8" });
  const drill = (extra: Record<string, string> = {}) =>
    spawnSync("sh", [script], {
      env: { ...env, MAX_AGE_SECONDS: "3600", DRILL_HOST: "volsync", CHECK_SUBSET: "100%", RESTORE_DIR: join(mkdtempSync(join(tmpdir(), "homelab-restore-")), "restore"), ...extra },
      encoding: "utf8",
    });

  before(async () => {
    s3 = await startLocalS3(["drill"]);
    work = mkdtempSync(join(tmpdir(), "homelab-restic-drill-"));
    env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: work,
      TZ: "UTC",
      RESTIC_REPOSITORY: `s3:${s3.endpoint}/drill/volsync/cloud/vaultwarden/vaultwarden`,
      RESTIC_PASSWORD: "drill-password",
      RESTIC_CACHE_DIR: join(work, "cache"),
      ...s3.env,
    };
    // A PVC as Volsync's mover sees it: backed up from inside the volume (`restic backup .`).
    const pvc = join(work, "pvc");
    mkdirSync(join(pvc, "attachments"), { recursive: true });
    writeFileSync(join(pvc, "db.sqlite3"), Buffer.alloc(256 * 1024, 7));
    writeFileSync(join(pvc, "config.json"), '{"domain":"https://vault.example.com"}\n');
    assert.equal(restic(["init"]).status, 0);
    assert.equal(restic(["backup", "--host", "volsync", "."], {}, pvc).status, 0);
    writeFileSync(join(pvc, "attachments", "photo.bin"), createHash("sha512").update("photo").digest());
    writeFileSync(join(pvc, "config.json"), '{"domain":"https://vault.example.com","signups":false}\n');
    assert.equal(restic(["backup", "--host", "volsync", "."], {}, pvc).status, 0);
    const pruned = restic(["forget", "--host", "volsync", "--keep-last", "1", "--prune"]);
    assert.equal(pruned.status, 0, pruned.stderr);
    const checked = restic(["check", "--read-data"]);
    assert.equal(checked.status, 0, checked.stderr);
  });

  after(async () => {
    await s3?.close();
  });

  it("restores the newest snapshot, checksums equal to the volume's", () => {
    const target = join(mkdtempSync(join(tmpdir(), "homelab-restore-")), "restore");
    const run = drill({ RESTORE_DIR: target });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /restore drill passed: snapshot [0-9a-f]+, 3 files restored and verified, data subset 100% read/);
    assert.deepEqual(checksums(target), checksums(join(work, "pvc")));
  });

  it("fails with a wrong password", () => {
    const run = drill({ RESTIC_PASSWORD: "not-the-password" });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /restore drill FAILED: cannot read the repository/);
  });

  it("fails when the newest snapshot is older than the class allows", () => {
    const run = drill({ MAX_AGE_SECONDS: "0" });
    // Run inside the same second as the backup the age could be 0: wait one second first.
    if (run.status === 0) {
      spawnSync("sleep", ["1"]);
      const again = drill({ MAX_AGE_SECONDS: "0" });
      assert.equal(again.status, 1);
      assert.match(again.stderr, /more than the class allows/);
    } else {
      assert.match(run.stderr, /more than the class allows \(0s\)/);
    }
  });

  it("with DRILL_TAG reads only that class's snapshots: a fresh snapshot of another class does not hide a stale one", () => {
    // The management VM writes one repository with a snapshot per class (backup.sh tags class=<c>).
    const files = join(work, "mgmt");
    mkdirSync(files, { recursive: true });
    writeFileSync(join(files, "omni.asc"), "key\n");
    const old = restic(["backup", "--host", "oci-mgmt", "--tag", "mgmt", "--tag", "class=critical", "--time", "2020-01-01 00:00:00", "."], {}, files);
    assert.equal(old.status, 0, old.stderr);
    const fresh = restic(["backup", "--host", "oci-mgmt", "--tag", "mgmt", "--tag", "class=standard", "."], {}, files);
    assert.equal(fresh.status, 0, fresh.stderr);
    // Without the tag the newest snapshot of the host (the standard one) passes for every class.
    assert.equal(drill({ DRILL_HOST: "oci-mgmt" }).status, 0);
    const critical = drill({ DRILL_HOST: "oci-mgmt", DRILL_TAG: "class=critical" });
    assert.equal(critical.status, 1, critical.stdout);
    assert.match(critical.stderr, /restore drill FAILED: the newest snapshot is \d+s old, more than the class allows \(3600s\)/);
    const standard = drill({ DRILL_HOST: "oci-mgmt", DRILL_TAG: "class=standard" });
    assert.equal(standard.status, 0, standard.stdout + standard.stderr);
    assert.match(standard.stdout, /of oci-mgmt tagged class=standard taken/);
    const none = drill({ DRILL_HOST: "oci-mgmt", DRILL_TAG: "class=bulk" });
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no snapshot of host oci-mgmt tagged class=bulk/);
  });

  it("fails on a damaged pack (one byte flipped in the bucket)", () => {
    const dataDir = join(s3.directory, "drill", "volsync", "cloud", "vaultwarden", "vaultwarden", "data");
    const packs: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith("._S3rver_object")) packs.push(path);
      }
    };
    walk(dataDir);
    assert.ok(packs.length > 0, `no pack object under ${dataDir}`);
    const biggest = packs.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const bytes = readFileSync(biggest);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(biggest, bytes);
    const run = drill();
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stderr, /restore drill FAILED: the repository check \(data subset 100%\) found errors/);
  });
});
