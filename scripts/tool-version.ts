/** Prints one pinned version from lib/versions.ts (for workflows that download a tool). */
import { versions } from "../lib/versions";

const name = process.argv[2] as keyof typeof versions | undefined;
if (!name || !(name in versions)) {
  console.error(`usage: tsx scripts/tool-version.ts <${Object.keys(versions).join("|")}>`);
  process.exit(2);
}
console.log(versions[name]);
