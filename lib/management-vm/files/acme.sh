#!/bin/sh
# acme: Omni's certificate from Let's Encrypt, by DNS-01 through the Cloudflare API (lego v4).
#
# Talos machines verify Omni's SideroLink endpoint against the public roots, so Omni needs a
# certificate from a public CA (a self-signed one makes every machine fail to join). DNS-01
# needs no open port: lego writes a TXT record with a token limited to the zone's DNS.
#
# Runs in the `acme` Compose service: obtains the certificate once, then checks daily and renews
# it 30 days before it expires. Each new certificate is copied into $TLS_DIR as omni.crt and
# omni.key (written beside and renamed, so Omni never reads half a file); homelab-sync on the
# host restarts Omni when omni.crt changes, because Omni loads the machine API's certificate only
# at start (omni v0.48.3 internal/pkg/siderolink/manager.go NewListener).
#
# Environment: ACME_DOMAINS (space-separated, the first names the files), ACME_EMAIL, LEGO_PATH,
# TLS_DIR, LEGO_BIN (the image's binary: /lego, which is not on its PATH), CLOUDFLARE_DNS_API_TOKEN
# (secrets/acme.env); optional ACME_SERVER (e.g. the staging
# directory), ACME_RENEW_DAYS (30), ACME_INTERVAL (86400 s), ACME_RETRY (3600 s after a failure),
# ACME_ONCE (tests: one pass only).
set -eu
umask 077

: "${ACME_DOMAINS:?set ACME_DOMAINS}" "${ACME_EMAIL:?set ACME_EMAIL}" "${LEGO_PATH:?set LEGO_PATH}" "${TLS_DIR:?set TLS_DIR}" "${LEGO_BIN:?set LEGO_BIN}"
: "${CLOUDFLARE_DNS_API_TOKEN:?set CLOUDFLARE_DNS_API_TOKEN in secrets/acme.env}"
renew_days="${ACME_RENEW_DAYS:-30}"
interval="${ACME_INTERVAL:-86400}"
retry="${ACME_RETRY:-3600}"

log() { printf 'acme: %s\n' "$*" >&2; }

set -- --accept-tos --email "$ACME_EMAIL" --dns cloudflare --path "$LEGO_PATH"
if [ -n "${ACME_SERVER:-}" ]; then set -- "$@" --server "$ACME_SERVER"; fi
first=""
for domain in $ACME_DOMAINS; do
  set -- "$@" --domains "$domain"
  if [ -z "$first" ]; then first="$domain"; fi
done
issued="$LEGO_PATH/certificates/$first"

# install: copies the issued pair into TLS_DIR when it differs from what is there.
install_pair() {
  if [ -f "$TLS_DIR/omni.crt" ] && cmp -s "$issued.crt" "$TLS_DIR/omni.crt" && cmp -s "$issued.key" "$TLS_DIR/omni.key"; then
    return 0
  fi
  cp "$issued.key" "$TLS_DIR/omni.key.next"
  cp "$issued.crt" "$TLS_DIR/omni.crt.next"
  mv "$TLS_DIR/omni.key.next" "$TLS_DIR/omni.key"
  mv "$TLS_DIR/omni.crt.next" "$TLS_DIR/omni.crt"
  log "installed the certificate for $ACME_DOMAINS"
}

mkdir -p "$LEGO_PATH" "$TLS_DIR"
while :; do
  if [ ! -s "$issued.crt" ]; then
    log "obtaining a certificate for $ACME_DOMAINS"
    command="run"
  else
    # --force-cert-domains: a name added to ACME_DOMAINS renews at once instead of in 60 days.
    command="renew --days $renew_days --force-cert-domains"
  fi
  # A failure (token scope, DNS, rate limit) waits an hour instead of hammering Let's Encrypt,
  # whose failed-validation limit is per hour; Omni keeps serving the certificate it has.
  # shellcheck disable=SC2086 # $command is the subcommand and its flags, split on purpose
  if "$LEGO_BIN" "$@" $command; then
    install_pair
    pause="$interval"
  else
    log "lego failed (exit $?); retrying in ${retry}s"
    if [ -n "${ACME_ONCE:-}" ]; then exit 1; fi
    pause="$retry"
  fi
  if [ -n "${ACME_ONCE:-}" ]; then break; fi
  sleep "$pause"
done
