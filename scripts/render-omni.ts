/** Rewrites the Omni documents under omni/ from the example configs (see tooling/omni-documents.ts). */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { exampleOmniDocuments } from "../tooling/omni-documents";

for (const [path, text] of Object.entries(exampleOmniDocuments())) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
