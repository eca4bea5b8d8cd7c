/**
 * npm run bench:plan [-- --runs N]
 *
 * How long the offline plan of every stack takes in this process (the program, mocks, policies
 * and budgets; not Node's start-up or tsx's compile), median and range over N runs. The budget is
 * 5 s for all stacks (the founders' guide); this is a benchmark to watch, not a timed test.
 */
import { performance } from "node:perf_hooks";
import { stackNames } from "../lib/config";
import { planStacks } from "../tooling/plan/plan";
import program from "../index";

async function main(): Promise<void> {
  const at = process.argv.indexOf("--runs");
  const runs = at >= 0 ? Number(process.argv[at + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a whole number of runs");
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    const result = await planStacks({ stacks: [...stackNames], program });
    if (!result.ok) throw new Error("the example stacks do not plan clean; run npm run plan -- --stack all");
    // The first run warms the module cache and the schema compilers; it is not counted.
    if (i > 0) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`offline plan of ${stackNames.join(", ")}: median ${seconds(median)} over ${runs} runs (min ${seconds(times[0]!)}, max ${seconds(times[times.length - 1]!)}); budget 5 s`);
}

main().catch((error: unknown) => {
  console.error(`bench:plan failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
