/**
 * A local S3 endpoint for the restore drills: the npm `s3rver` over TLS (over plain HTTP
 * minio-go signs streaming payloads that s3rver stores with their chunk framing, research note
 * r16 §7.2), with a self-signed certificate that restic (Go reads SSL_CERT_FILE) and boto3
 * (AWS_CA_BUNDLE) trust. It stands in for OCI's S3-compatible API: the same tools, the same
 * protocol. It runs as its own process, so that the drills may call the tools synchronously.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LocalS3 {
  endpoint: string;
  /** Where s3rver keeps the objects (a test may damage one). */
  directory: string;
  certFile: string;
  /** Environment for restic and barman-cloud against this server (its fixed S3RVER keys). */
  env: Record<string, string>;
  close(): Promise<void>;
}

const cli = join(__dirname, "../../node_modules/s3rver/bin/s3rver.js");

function ready(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(endpoint, { method: "GET", rejectUnauthorized: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const base = mkdtempSync(join(tmpdir(), "homelab-s3-"));
  const keyFile = join(base, "key.pem");
  const certFile = join(base, "cert.pem");
  const cert = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
    { encoding: "utf8" },
  );
  if (cert.status !== 0) throw new Error(`openssl could not make the drill's certificate: ${cert.stderr}`);
  // PostgreSQL's archive command runs as postgres and must read the certificate.
  chmodSync(base, 0o755);
  chmodSync(certFile, 0o644);
  const directory = join(base, "objects");
  const port = 21000 + Math.floor(Math.random() * 20000);
  const args = [cli, "-d", directory, "-a", "127.0.0.1", "-p", String(port), "-s", "--no-vhost-buckets", "--key", keyFile, "--cert", certFile];
  for (const bucket of buckets) args.push("--configure-bucket", bucket);
  const server = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
  const endpoint = `https://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await ready(endpoint)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await ready(endpoint))) {
    server.kill();
    throw new Error(`s3rver did not answer on ${endpoint}`);
  }
  return {
    endpoint,
    directory,
    certFile,
    env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_DEFAULT_REGION: "us-east-1", AWS_CA_BUNDLE: certFile, SSL_CERT_FILE: certFile },
    close: () =>
      new Promise<void>((resolve) => {
        server.once("exit", () => resolve());
        server.kill();
      }),
  };
}
