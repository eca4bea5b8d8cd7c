/**
 * The first-boot claims of the apps whose first visitor would become their admin (issue 15), as
 * each upstream documents its first-run endpoint, and the Bitwarden secrets they read. A setup
 * container runs these steps through localhost before the pod may receive traffic
 * (lib/platform/setup.ts adds the helpers `call`, `fail`, `log`, `$SECRETS`, `$OIDC`, `$BODY`).
 * Every step is idempotent: an "already done" answer counts as success.
 */
import type { BitwardenSecret, SetupScript } from "../types";

/** The Bitwarden keys of the operator's first admin: one name and one e-mail everywhere, one password per app. */
export const adminKeys = {
  username: "homelab-admin-username",
  /** The operator's Authentik e-mail: apps that match OIDC users by e-mail (Komga) map the SSO login to this admin. */
  email: "homelab-admin-email",
  password: (app: string) => `homelab-${app}-admin-password`,
} as const;

/**
 * The Secret of an app's first admin: the Bitwarden keys as `username`, `email`, `password`, and
 * request bodies rendered by External Secrets (`toJson` escapes whatever the values hold, so no
 * shell or JSON quoting is ever done by hand).
 */
export function adminSecret(app: string, bodies: Readonly<Record<string, string>> = {}): BitwardenSecret {
  return {
    name: `${app}-admin`,
    keys: { username: adminKeys.username, email: adminKeys.email, password: adminKeys.password(app) },
    template: () => ({ username: "{{ .username }}", email: "{{ .email }}", password: "{{ .password }}", ...bodies }),
  };
}

const json = (fields: Record<string, string>) => `{${Object.entries(fields).map(([k, v]) => `"${k}": ${v}`).join(", ")}}`;
const value = (key: "username" | "email" | "password") => `{{ .${key} | toJson }}`;

/**
 * Immich: `POST /api/auth/admin-sign-up` creates the admin while none exists, else answers 400
 * "The server already has an admin" (server/src/services/auth.service.ts `adminSignUp`).
 */
export const immich = {
  secret: adminSecret("immich", { "admin-sign-up.json": json({ email: value("email"), password: value("password"), name: value("username") }) }),
  script: (port: number): SetupScript => ({
    waitFor: `http://127.0.0.1:${port}/api/server/ping`,
    steps: `
call POST http://127.0.0.1:${port}/api/auth/admin-sign-up -H 'Content-Type: application/json' --data-binary "@$SECRETS/admin-sign-up.json"
case "$status" in
  201) log "admin created" ;;
  400) grep -q 'already has an admin' "$BODY" || fail "admin sign-up"; log "an admin exists already" ;;
  *) fail "admin sign-up" ;;
esac`,
  }),
};

/**
 * Navidrome: `POST /auth/createAdmin` creates the first user as admin while the user table is
 * empty, else 403 "Cannot create another first admin" (server/auth.go `createAdmin`, v0.55.2).
 */
export const navidrome = {
  secret: adminSecret("navidrome", { "create-admin.json": json({ username: value("username"), password: value("password") }) }),
  script: (port: number): SetupScript => ({
    waitFor: `http://127.0.0.1:${port}/ping`,
    steps: `
call POST http://127.0.0.1:${port}/auth/createAdmin -H 'Content-Type: application/json' --data-binary "@$SECRETS/create-admin.json"
case "$status" in
  200) log "admin created" ;;
  403) log "an admin exists already" ;;
  *) fail "createAdmin" ;;
esac`,
  }),
};

/**
 * Komga: `POST /api/v1/claim` with `X-Komga-Email`/`X-Komga-Password` creates the admin until the
 * server is claimed; `GET /api/v1/claim` says `isClaimed` (ClaimController.kt, 1.21.2). The
 * e-mail is the operator's Authentik one, so the OIDC login lands on this admin.
 */
export const komga = {
  secret: adminSecret("komga", { "claim-headers": "X-Komga-Email: {{ .email }}\nX-Komga-Password: {{ .password }}\n" }),
  script: (port: number): SetupScript => ({
    waitFor: `http://127.0.0.1:${port}/api/v1/claim`,
    steps: `
call GET http://127.0.0.1:${port}/api/v1/claim
[ "$status" = 200 ] || fail "reading the claim status"
if grep -q '"isClaimed": *true' "$BODY"; then
  log "claimed already"
else
  call POST http://127.0.0.1:${port}/api/v1/claim -H "@$SECRETS/claim-headers"
  [ "$status" = 200 ] || fail "claim"
  log "admin created"
fi`,
  }),
};

/**
 * Audiobookshelf: `POST /init {newRoot}` creates the root user while none exists (else 500), `GET
 * /status` says `isInit` (server/Server.js, v2.20.0). Then, on every start, the OIDC settings
 * (which live in ABS' database, not in env) are set through `PATCH /api/auth-settings` as the
 * root user (MiscController.updateAuthSettings), from the document the OIDC Secret carries.
 */
export const audiobookshelf = {
  secret: adminSecret("audiobookshelf", {
    "init.json": `{"newRoot": ${json({ username: value("username"), password: value("password") })}}`,
    "login.json": json({ username: value("username"), password: value("password") }),
  }),
  script: (port: number): SetupScript => ({
    waitFor: `http://127.0.0.1:${port}/status`,
    steps: `
call GET http://127.0.0.1:${port}/status
[ "$status" = 200 ] || fail "reading the status"
if grep -q '"isInit": *true' "$BODY"; then
  log "the root user exists already"
else
  call POST http://127.0.0.1:${port}/init -H 'Content-Type: application/json' --data-binary "@$SECRETS/init.json"
  [ "$status" = 200 ] || fail "init"
  log "root user created"
fi
call POST http://127.0.0.1:${port}/login -H 'Content-Type: application/json' --data-binary "@$SECRETS/login.json"
if [ "$status" = 401 ]; then
  # The installer is closed either way; only the settings wait for the password to match again.
  log "the root user's password is not the one in Bitwarden: OIDC settings not re-applied"
else
  [ "$status" = 200 ] || fail "login as the root user"
  token=$(sed -n 's/.*"token": *"\\([^"]*\\)".*/\\1/p' "$BODY")
  [ -n "$token" ] || fail "reading the session token"
  call PATCH http://127.0.0.1:${port}/api/auth-settings -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "@$OIDC/auth-settings.json"
  [ "$status" = 200 ] || fail "OIDC settings"
  log "OIDC settings applied"
fi`,
  }),
};

/**
 * RomM: `POST /api/users` is open while no admin exists (the setup wizard), then needs the
 * users.write scope (backend/endpoints/user.py `add_user`, 3.8.3); its fields are query parameters.
 * Every POST without an Authorization header also passes RomM's CSRF check (backend/main.py
 * CustomCSRFMiddleware, starlette-csrf: the `romm_csrftoken` cookie, set on any answer, sent back
 * as the `x-csrftoken` header, as RomM's own frontend does), else 403 "CSRF token verification
 * failed", which must not pass for "an admin exists already".
 */
export const romm = {
  secret: adminSecret("romm"),
  script: (port: number): SetupScript => ({
    waitFor: `http://127.0.0.1:${port}/api/heartbeat`,
    steps: `
jar="$BODY.cookies"
call GET http://127.0.0.1:${port}/api/heartbeat -c "$jar"
csrf=$(awk '$6 == "romm_csrftoken" { print $7 }' "$jar")
[ -n "$csrf" ] || fail "reading RomM's CSRF cookie"
call POST http://127.0.0.1:${port}/api/users -b "$jar" -H "x-csrftoken: $csrf" -G --data-urlencode "username@$SECRETS/username" --data-urlencode "password@$SECRETS/password" --data-urlencode "email@$SECRETS/email" --data-urlencode role=admin
case "$status" in
  200|201) log "admin created" ;;
  403) grep -q CSRF "$BODY" && fail "creating the admin (CSRF check)"; log "an admin exists already" ;;
  *) fail "creating the admin" ;;
esac`,
  }),
};

/**
 * n8n: `POST /rest/owner/setup` sets the instance owner until one exists, then answers 400
 * "Instance owner already setup". Wait for readiness (migrations done), not liveness.
 */
export const n8n = {
  secret: adminSecret("n8n", { "owner.json": json({ email: value("email"), firstName: '"Homelab"', lastName: '"Admin"', password: value("password") }) }),
  script: (port: number): SetupScript => ({
    waitFor: `http://127.0.0.1:${port}/healthz/readiness`,
    steps: `
until call GET http://127.0.0.1:${port}/healthz/readiness && [ "$status" = 200 ]; do sleep 3; done
call POST http://127.0.0.1:${port}/rest/owner/setup -H 'Content-Type: application/json' --data-binary "@$SECRETS/owner.json"
case "$status" in
  200) log "owner created" ;;
  400) grep -q 'already setup' "$BODY" || fail "owner setup"; log "the owner exists already" ;;
  *) fail "owner setup" ;;
esac`,
  }),
};

/**
 * Mealie seeds `changeme@example.com` / `MyPassword` as admin on an empty database, with no
 * variable to change it (mealie/repos/seed/init_users.py, core/settings/settings.py
 * `_DEFAULT_EMAIL`, `_DEFAULT_PASSWORD`). Replace the password with the Bitwarden one: sign in with
 * it first (done already), else with the default and change it (`PUT /api/users/password`); when
 * neither works, the default is closed anyway (changed in the UI, or the account locked). Signing
 * in with the Bitwarden password first keeps Mealie's failed-login lockout from counting.
 */
export const mealie = {
  defaultEmail: "changeme@example.com",
  secret: adminSecret("mealie", { "change-password.json": json({ currentPassword: '"MyPassword"', newPassword: value("password") }) }),
  script: (port: number): SetupScript => ({
    waitFor: `http://127.0.0.1:${port}/api/app/about`,
    steps: `
call POST http://127.0.0.1:${port}/api/auth/token --data-urlencode username=changeme@example.com --data-urlencode "password@$SECRETS/password"
if [ "$status" = 200 ]; then
  log "the default admin's password is changed already"
else
  call POST http://127.0.0.1:${port}/api/auth/token --data-urlencode username=changeme@example.com --data-urlencode password=MyPassword
  case "$status" in
    200)
      token=$(sed -n 's/.*"access_token": *"\\([^"]*\\)".*/\\1/p' "$BODY")
      [ -n "$token" ] || fail "reading the token"
      call PUT http://127.0.0.1:${port}/api/users/password -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "@$SECRETS/change-password.json"
      [ "$status" = 200 ] || fail "changing the default admin's password"
      log "the default admin's password is now the one in Bitwarden"
      ;;
    401 | 423) log "the default password is no longer accepted (nor the one in Bitwarden): nothing to close" ;;
    *) fail "signing in as the default admin" ;;
  esac
fi`,
  }),
};

/**
 * Home Assistant onboarding (homeassistant/components/onboarding/views.py): `POST
 * /api/onboarding/users` (no auth) creates the owner and returns an auth code, exchanged at
 * `/auth/token`; then `core_config`, `analytics` and `integration` with that token. Until all
 * steps are done, anyone reaching HA could also upload and restore a backup (the onboarding
 * backup views need no auth). `GET /api/onboarding` lists the steps; once onboarded HA no longer
 * registers it (404).
 */
export const homeAssistant = {
  clientId: "http://127.0.0.1:8123/",
  secret: adminSecret("home-assistant", {
    "onboarding-user.json": json({ name: value("username"), username: value("username"), password: value("password"), client_id: '"http://127.0.0.1:8123/"', language: '"en"' }),
  }),
  script: (port: number): SetupScript => ({
    waitFor: `http://127.0.0.1:${port}/api/onboarding`,
    steps: `
ha=http://127.0.0.1:${port}
client=$ha/
call GET "$ha/api/onboarding"
if [ "$status" = 404 ] || ! grep -q '"done": *false' "$BODY"; then
  log "onboarded already"
else
  grep -q '"step": *"user", *"done": *false' "$BODY" || fail "onboarding: the owner exists but some steps are not done; finish them in the UI as the admin from Bitwarden"
  call POST "$ha/api/onboarding/users" -H 'Content-Type: application/json' --data-binary "@$SECRETS/onboarding-user.json"
  [ "$status" = 200 ] || fail "creating the owner"
  code=$(sed -n 's/.*"auth_code": *"\\([^"]*\\)".*/\\1/p' "$BODY")
  call POST "$ha/auth/token" --data-urlencode grant_type=authorization_code --data-urlencode "code=$code" --data-urlencode "client_id=$client"
  [ "$status" = 200 ] || fail "exchanging the onboarding code"
  token=$(sed -n 's/.*"access_token": *"\\([^"]*\\)".*/\\1/p' "$BODY")
  for step in core_config analytics; do
    call POST "$ha/api/onboarding/$step" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data '{}'
    [ "$status" = 200 ] || fail "onboarding step $step"
  done
  call POST "$ha/api/onboarding/integration" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data "{\\"client_id\\": \\"$client\\", \\"redirect_uri\\": \\"$client?auth_callback=1\\"}"
  [ "$status" = 200 ] || fail "onboarding step integration"
  log "onboarded; the owner is the admin from Bitwarden"
fi`,
  }),
};
