/**
 * Baïkal's configuration (story 4.1.3), seeded once into its config volume so that the web
 * installer never opens: Baïkal runs the installer while config/baikal.yaml is missing, has no
 * configured_version, an older one than the running Baïkal, or an empty admin_passwordhash
 * (Core/Frameworks/Baikal/Framework.php, 0.10.1). External Secrets renders it from Bitwarden: the
 * admin hash is Baïkal's own, sha256("admin:" + realm + ":" + password)
 * (BaikalAdmin/Core/Auth.php hashAdminPassword).
 */
import { images } from "../versions";

/** Baïkal's version in the pinned image (ckulka/baikal tags are `<version>-<flavour>`). */
export function baikalVersion(): string {
  return images.baikal.tag.split("-")[0]!;
}

/** The realm of DAV and admin credentials (baikal.yaml.dist). */
export const baikalRealm = "BaikalDAV";

/**
 * The ExternalSecret template of baikal.yaml: `.password` (the admin's) and `.encryptionKey` come
 * from Bitwarden. DAV users sign in with Basic over HTTPS (dav_auth_type, Core/Frameworks/Baikal/Core/Server.php).
 */
export function baikalSeed(): string {
  return [
    "system:",
    `  configured_version: '${baikalVersion()}'`,
    "  timezone: 'Europe/Paris'",
    "  card_enabled: true",
    "  cal_enabled: true",
    "  invite_from: 'noreply@localhost'",
    "  dav_auth_type: 'Basic'",
    `  admin_passwordhash: {{ printf "admin:${baikalRealm}:%s" .password | sha256sum }}`,
    "  failed_access_message: 'user %u authentication failure for Baikal'",
    `  auth_realm: ${baikalRealm}`,
    "  base_uri: ''",
    "database:",
    "  encryption_key: {{ .encryptionKey | quote }}",
    "  backend: 'sqlite'",
    "  sqlite_file: '/var/www/baikal/Specific/db/db.sqlite'",
    "",
  ].join("\n");
}
