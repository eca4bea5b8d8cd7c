/**
 * Runs a shell script against a throw-away root with shimmed system commands, so that tests can
 * execute the real scripts (twice, with data present, with failures) and assert what they did.
 * Each shim appends its argv to calls.log, then runs its body (default: succeed silently).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FakeRoot {
  /** The fake `/`. */
  root: string;
  bin: string;
  /** Installs (or replaces) a shim; `body` is POSIX sh run after the call is logged. */
  shim(command: string, body?: string): void;
  /** Every shim call so far, one `command arg…` line each. */
  calls(): string[];
  clearCalls(): void;
  run(script: string, env?: Record<string, string>, args?: readonly string[]): { code: number; stdout: string; stderr: string };
  path(relative: string): string;
  write(relative: string, content: string): void;
}

export function fakeRoot(): FakeRoot {
  const base = mkdtempSync(join(tmpdir(), "homelab-fakeroot-"));
  const root = join(base, "root");
  const bin = join(base, "bin");
  const log = join(base, "calls.log");
  mkdirSync(root, { recursive: true });
  mkdirSync(bin, { recursive: true });
  const fr: FakeRoot = {
    root,
    bin,
    shim(command, body = "exit 0") {
      const file = join(bin, command);
      writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "${command} $*" >> '${log}'\n${body}\n`);
      chmodSync(file, 0o755);
    },
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => l !== "") : []),
    clearCalls: () => writeFileSync(log, ""),
    run(script, env = {}, args = []) {
      const result = spawnSync("bash", [script, ...args], {
        encoding: "utf8",
        timeout: 60_000,
        env: { PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: base, HOMELAB_ROOT: root, ...env },
      });
      return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
    },
    path: (relative) => join(root, relative),
    write(relative, content) {
      const file = join(root, relative);
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, content);
    },
  };
  return fr;
}
