/**
 * npm run plan -- --stack <dev|prod|cloud|all> [--json] [--dir <folder with Pulumi.<stack>.yaml>]
 *
 * The offline plan: runs the real program for each stack under Pulumi mocks on the stack's
 * config file, runs the policy pack's rules and the capacity budgets, and prints the result.
 * Exit 0 when clean, 1 on invalid config or a mandatory violation, 2 on bad arguments.
 */
import { statSync } from "node:fs";
import { stackNames, type StackName } from "../lib/config";
import { failureLines, formatPlan, planJson, planStacks } from "../tooling/plan/plan";
import program from "../index";

const usageLine = `usage: npm run plan -- --stack <${stackNames.join("|")}|all> [--json] [--dir <folder>]`;

/** A bad argument: one line (with --json anywhere on the command line, a JSON document), exit 2. */
function usage(message: string): never {
  if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify({ ok: false, error: `${message}; ${usageLine}`, stacks: [] }, null, 2)}\n`);
  else process.stderr.write(`${message}\n${usageLine}\n`);
  process.exit(2);
}

/** `--dir` must name a folder: a file or a missing path would otherwise report every stack file as missing under a path that means nothing. */
function folderProblem(directory: string): string | undefined {
  try {
    if (statSync(directory).isDirectory()) return undefined;
    return `--dir ${directory}: is a file, not a folder; fix: give the folder that holds the Pulumi.<stack>.yaml files`;
  } catch {
    return `--dir ${directory}: no such folder; fix: give the folder that holds the Pulumi.<stack>.yaml files`;
  }
}

function parseArgs(argv: readonly string[]): { stacks: StackName[]; json: boolean; directory: string } {
  let stack: string | undefined;
  let json = false;
  let directory = process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--stack") stack = argv[++i];
    else if (arg.startsWith("--stack=")) stack = arg.slice("--stack=".length);
    else if (arg === "--dir") directory = argv[++i] ?? usage("--dir needs a folder");
    else usage(`unknown argument "${arg}"`);
  }
  if (stack === undefined) usage("--stack is required");
  const badFolder = folderProblem(directory);
  if (badFolder) usage(badFolder);
  if (stack === "all") return { stacks: [...stackNames], json, directory };
  if (!(stackNames as readonly string[]).includes(stack)) usage(`unknown stack "${stack}"`);
  return { stacks: [stack as StackName], json, directory };
}

async function main(): Promise<void> {
  const { stacks, json, directory } = parseArgs(process.argv.slice(2));
  try {
    const result = await planStacks({ stacks, program, directory });
    process.stdout.write(json ? `${JSON.stringify(planJson(result), null, 2)}\n` : `${formatPlan(result)}\n`);
    process.exitCode = result.ok ? 0 : 1;
  } catch (error) {
    // Config and stack-file problems are reported per stack above; anything that still lands here
    // is a bug: one line (a JSON document with --json), the trace only on request.
    const line = failureLines(error).join("; ");
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: line, stacks: [] }, null, 2)}\n`);
    else process.stderr.write(`offline plan failed: ${line}\n`);
    if (process.env.HOMELAB_DEBUG === "1" && error instanceof Error) process.stderr.write(`${error.stack ?? ""}\n`);
    process.exitCode = 1;
  }
}

void main();
