/**
 * Wrappers for the Debian validators the tests use (shellcheck, yamllint, promtool, amtool,
 * cloud-init). `.ci/run` installs them; a missing tool is a clear failure, never a skipped check.
 */
import { spawnSync } from "node:child_process";

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const debianPackages: Record<string, string> = {
  shellcheck: "shellcheck",
  yamllint: "yamllint",
  promtool: "prometheus",
  amtool: "prometheus-alertmanager",
  "cloud-init": "cloud-init",
  restic: "restic",
  sanoid: "sanoid",
  "barman-cloud-backup": "barman-cli-cloud",
  // The first-boot drill runs the setup scripts with the setup image's shell and curl.
  busybox: "busybox",
  curl: "curl",
};

export function runTool(tool: string, args: readonly string[], input?: string): ToolResult {
  const result = spawnSync(tool, args, { input, encoding: "utf8", timeout: 60_000 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new Error(`${tool} is not installed: apt-get install ${debianPackages[tool] ?? tool} (.ci/run installs it)`);
    }
    throw result.error;
  }
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a validator and throws with its output unless it exits 0. */
export function assertToolPasses(tool: string, args: readonly string[], input?: string): ToolResult {
  const result = runTool(tool, args, input);
  if (result.code !== 0) throw new Error(`${tool} ${args.join(" ")} failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  return result;
}
