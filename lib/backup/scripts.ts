/** The shell scripts of the backups, shipped as they are (shellcheck-clean, run by the drills in tests/drills). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type BackupScript = "drill-restic.sh" | "drill-database.sh";

export function shippedBackupScript(name: BackupScript): string {
  return readFileSync(join(__dirname, "files", name), "utf8");
}
