/**
 * Restore drills, PostgreSQL, with Debian's PostgreSQL 15 and barman-cli-cloud (the tools
 * CloudNativePG runs inside its instances for the in-tree barmanObjectStore method):
 *
 * 1. The CNPG method: WAL archived by barman-cloud-wal-archive, a base backup by
 *    barman-cloud-backup, then the cluster's drill script (the file the restore-drill CronJobs
 *    run) restores it into a fresh data directory, replays the WAL to a target time and the rows
 *    are compared with the source. Wrong keys and a missing WAL segment make it fail.
 * 2. The management VM's method: pg_dump (custom format) restored by pg_restore into a fresh
 *    server, rows compared.
 *
 * The gap: the clusters and the VM run PostgreSQL 16 and Debian ships 15. The method is the same;
 * 15 cannot replay 16's WAL or read pg_dump 16's archive format (1.15), so the real data is drilled
 * in the clusters (PG 16 images) and on the VM (`pg_restore --list` with the 16 client).
 */
import { strict as assert } from "node:assert";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalS3, type LocalS3 } from "./s3";

const script = join(__dirname, "../../lib/backup/files/drill-database.sh");
const pgBin = "/usr/lib/postgresql/15/bin";

/** The postgres account: PostgreSQL refuses to run as root. */
function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

function asPostgres(command: string, args: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  const { uid, gid } = postgresIds();
  const self = process.getuid?.() === uid;
  return spawnSync(command, args, { env, encoding: "utf8", ...(self ? {} : { uid, gid }) });
}

function writable(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const { uid, gid } = postgresIds();
  if (process.getuid?.() === 0) chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
  return dir;
}

describe("restore drill: CloudNativePG's barman-cloud method (PostgreSQL 15, local S3)", function () {
  this.timeout(600_000);
  let s3: LocalS3;
  let work: string;
  let env: Record<string, string>;
  let target: string;
  let expected: string;
  const port = 5433;
  const destination = "s3://drill/cnpg/cloud";
  const psql = (sql: string, db = "app") => asPostgres(`${pgBin}/psql`, ["-h", work, "-p", String(port), "-U", "postgres", "-d", db, "-Atc", sql], env);

  before(async () => {
    s3 = await startLocalS3(["drill"]);
    work = mkdtempSync(join(tmpdir(), "homelab-pg-drill-"));
    chmodSync(work, 0o755);
    const { uid, gid } = postgresIds();
    if (process.getuid?.() === 0) chownSync(work, uid, gid);
    env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work, TZ: "UTC", ...s3.env };
    const data = writable(join(work, "src"));
    const init = asPostgres(`${pgBin}/initdb`, ["-D", data, "-A", "trust", "-U", "postgres"], env);
    assert.equal(init.status, 0, init.stderr);
    // As CNPG does: the archive command in an included file, plus settings the drill must
    // override (a TLS setting and a log directory of the original pod).
    writeFileSync(
      join(data, "custom.conf"),
      [
        `port = ${port}`,
        "listen_addresses = ''",
        `unix_socket_directories = '${work}'`,
        "wal_level = replica",
        "archive_mode = on",
        `archive_command = 'barman-cloud-wal-archive --endpoint-url ${s3.endpoint} --cloud-provider aws-s3 --gzip ${destination} app-db %p'`,
        "log_directory = '/controller/log'",
        "",
      ].join("\n"),
    );
    chownSync(join(data, "custom.conf"), uid, gid);
    writeFileSync(join(data, "postgresql.conf"), `${readPostgresConf(data)}\ninclude 'custom.conf'\n`);
    const started = asPostgres(`${pgBin}/pg_ctl`, ["-D", data, "-l", join(work, "src.log"), "-w", "start"], env);
    assert.equal(started.status, 0, started.stderr);
    assert.equal(asPostgres(`${pgBin}/createdb`, ["-h", work, "-p", String(port), "-U", "postgres", "app"], env).status, 0);
    assert.equal(psql("create table notes (id int primary key, body text); insert into notes select i, md5(i::text) from generate_series(1, 1500) i").status, 0);
    assert.equal(psql("select pg_switch_wal()").status, 0);
    const backup = asPostgres("barman-cloud-backup", ["--endpoint-url", s3.endpoint, "--cloud-provider", "aws-s3", "--gzip", "-h", work, "-p", String(port), "-U", "postgres", destination, "app-db"], env);
    assert.equal(backup.status, 0, backup.stderr);
    assert.equal(psql("insert into notes select i, md5(i::text) from generate_series(1501, 1600) i").status, 0);
    target = psql("select now()").stdout.trim();
    expected = psql("select count(*) || '|' || md5(string_agg(id || body, ',' order by id)) from notes").stdout.trim();
    spawnSync("sleep", ["1"]);
    assert.equal(psql("insert into notes select i, md5(i::text) from generate_series(1601, 1700) i").status, 0);
    assert.equal(psql("select pg_switch_wal()").status, 0);
    // Wait until the segment holding the last rows is archived.
    for (let i = 0; i < 120; i++) {
      const archived = psql("select last_archived_wal is not null and last_archived_time > now() - interval '1 minute' from pg_stat_archiver", "postgres").stdout.trim();
      if (archived === "t" && psql("select pg_walfile_name(pg_current_wal_lsn()) > last_archived_wal from pg_stat_archiver", "postgres").stdout.trim() === "t") break;
      spawnSync("sleep", ["1"]);
    }
  });

  after(async () => {
    asPostgres(`${pgBin}/pg_ctl`, ["-D", join(work, "src"), "-m", "immediate", "stop"], env);
    await s3?.close();
  });

  const drill = (extra: Record<string, string> = {}) => {
    const scratch = writable(join(work, `scratch-${Math.random().toString(36).slice(2)}`));
    return asPostgres("sh", [script], {
      ...env,
      BARMAN_DESTINATION: destination,
      SERVER_NAME: "app-db",
      ENDPOINT_URL: s3.endpoint,
      DATABASE: "app",
      MAX_AGE_SECONDS: "3600",
      SCRATCH: scratch,
      PG_BIN: pgBin,
      DRILL_PORT: "5434",
      RECOVERY_TARGET_TIME: target,
      CHECK_SQL: "select count(*) from notes",
      ...extra,
    });
  };

  it("restores the base backup, replays the WAL to the target time, rows equal to the source's", () => {
    // The check answers the row count only when every row equals the source's at the target
    // time (the 100 rows written after it must be absent), else 0, which fails the drill.
    const run = drill({ CHECK_SQL: `select case when count(*) || '|' || md5(string_agg(id || body, ',' order by id)) = '${expected}' then count(*) else 0 end from notes` });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /restore drill passed: backup \d{8}T\d{6} restored, WAL replayed, app answers 1600$/m);
  });

  it("fails when the destination holds no backup of the cluster (a wrong path or server name)", () => {
    const run = drill({ SERVER_NAME: "other-db" });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /restore drill FAILED: no completed backup of other-db in s3:\/\/drill\/cnpg\/cloud/);
  });

  it("fails on a damaged base backup (one byte flipped in the bucket)", () => {
    const base = join(s3.directory, "drill", "cnpg", "cloud", "app-db", "base");
    const tars: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name === "data.tar.gz._S3rver_object") tars.push(path);
      }
    };
    walk(base);
    assert.equal(tars.length, 1, `expected one base backup under ${base}`);
    const original = readFileSync(tars[0]!);
    const damaged = Buffer.from(original);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    writeFileSync(tars[0]!, damaged);
    try {
      const run = drill();
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stderr, /restore drill FAILED: (restoring base backup \d{8}T\d{6} failed|PostgreSQL did not start|recovery from backup)/);
    } finally {
      writeFileSync(tars[0]!, original);
    }
  });

  it("fails when the base backup is older than the class allows", () => {
    spawnSync("sleep", ["1"]);
    const run = drill({ MAX_AGE_SECONDS: "0" });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the newest base backup is \d+s old, more than the class allows \(0s\)/);
  });

  it("fails when a WAL segment it needs is missing from the archive", () => {
    const wals = join(s3.directory, "drill", "cnpg", "cloud", "app-db", "wals");
    const segments: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/^[0-9A-F]{24}\.gz\._S3rver_object$/.test(name)) segments.push(path);
      }
    };
    walk(wals);
    // Every segment after the base backup's: the target time can no longer be reached.
    const label = readdirSync(join(wals, "0000000100000000")).find((n) => /\.backup\.gz\._S3rver_object$/.test(n));
    assert.ok(label, `no backup label under ${wals}`);
    const after = segments.filter((path) => path.split("/").at(-1)!.slice(0, 24) > label.slice(0, 24));
    assert.ok(after.length > 0, "no archived segment after the base backup");
    for (const segment of after) for (const suffix of ["", ".md5"]) rmSync(`${segment}${suffix}`, { force: true });
    const run = drill();
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stderr, /restore drill FAILED: (recovery from backup|PostgreSQL did not start)/);
  });
});

describe("restore drill: the management VM's pg_dump method (PostgreSQL 15)", function () {
  this.timeout(120_000);
  it("a custom-format dump restored into a fresh server has the same rows", () => {
    const work = mkdtempSync(join(tmpdir(), "homelab-pgdump-drill-"));
    chmodSync(work, 0o755);
    const { uid, gid } = postgresIds();
    if (process.getuid?.() === 0) chownSync(work, uid, gid);
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work };
    const servers = [5435, 5436].map((port) => {
      const data = writable(join(work, `pg${port}`));
      assert.equal(asPostgres(`${pgBin}/initdb`, ["-D", data, "-A", "trust", "-U", "postgres"], env).status, 0);
      const start = asPostgres(`${pgBin}/pg_ctl`, ["-D", data, "-l", join(work, `${port}.log`), "-o", `-p ${port} -c listen_addresses='' -c unix_socket_directories='${work}'`, "-w", "start"], env);
      assert.equal(start.status, 0, start.stderr);
      return { port, data };
    });
    try {
      const [source, fresh] = servers as [{ port: number; data: string }, { port: number; data: string }];
      const sql = (port: number, db: string, statement: string) => asPostgres(`${pgBin}/psql`, ["-h", work, "-p", String(port), "-U", "postgres", "-d", db, "-Atc", statement], env);
      assert.equal(asPostgres(`${pgBin}/createdb`, ["-h", work, "-p", String(source.port), "-U", "postgres", "authentik"], env).status, 0);
      assert.equal(sql(source.port, "authentik", "create table users (id int primary key, name text); insert into users select i, 'user ' || i from generate_series(1, 1603) i").status, 0);
      const dumps = writable(join(work, "dumps"));
      // Exactly pg-dump.sh's command on the VM (lib/management-vm/files/pg-dump.sh).
      const dump = asPostgres(`${pgBin}/pg_dump`, ["--host", work, "--port", String(source.port), "--username", "postgres", "--format", "custom", "--file", join(dumps, "authentik.dump"), "authentik"], env);
      assert.equal(dump.status, 0, dump.stderr);
      assert.equal(asPostgres(`${pgBin}/createdb`, ["-h", work, "-p", String(fresh.port), "-U", "postgres", "authentik"], env).status, 0);
      const restore = asPostgres(`${pgBin}/pg_restore`, ["--host", work, "--port", String(fresh.port), "--username", "postgres", "--dbname", "authentik", "--exit-on-error", "--no-owner", join(dumps, "authentik.dump")], env);
      assert.equal(restore.status, 0, restore.stderr);
      const rows = "select count(*) || '|' || md5(string_agg(id || name, ',' order by id)) from users";
      assert.equal(sql(fresh.port, "authentik", rows).stdout, sql(source.port, "authentik", rows).stdout);
      assert.match(sql(fresh.port, "authentik", "select count(*) from users").stdout, /^1603$/m);
    } finally {
      for (const s of servers) asPostgres(`${pgBin}/pg_ctl`, ["-D", s.data, "-m", "immediate", "stop"], env);
    }
  });
});

function readPostgresConf(data: string): string {
  return spawnSync("cat", [join(data, "postgresql.conf")], { encoding: "utf8" }).stdout;
}
