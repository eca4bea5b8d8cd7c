#!/usr/bin/env bash
# homelab-sync: applies the management VM's Compose project from the instance metadata, in place.
#
# Pulumi writes two metadata keys on oci-mgmt, which OCI updates without replacing the VM:
#   homelab-project  base64 tar.gz: compose.yaml, Authentik blueprints, helper scripts, this script
#   homelab-secrets  base64 tar.gz: one env file per service (mode 0600), nothing else
# A systemd timer runs this every minute. When either key changed, it unpacks both into a new
# directory, lets `docker compose config` validate the result, swaps it in and runs
# `docker compose up -d`, which recreates only the services whose definition changed. Service
# data lives under /var/lib/homelab and is never touched here, so an update loses nothing.
# A project that does not validate never replaces the running one; the next tick retries.
#
# Every tick, changed or not, it also keeps the host in shape (rules vanish on a reboot):
# containers may not reach the metadata service (bridged ones through DOCKER-USER, the users of
# host-network services listed in `host-network-uids` through OUTPUT); the host firewall admits
# exactly the ingress exceptions the project lists in `host-firewall` (OCI's Ubuntu image rejects
# everything else but SSH); and Omni restarts when the acme service has installed a new
# certificate, since Omni reads the machine API's certificate only at start.
#
# Modes: the project is readable by every container user (Authentik runs as uid 1000 and reads its
# blueprints), the secrets are root's alone (Docker reads the env files), and each state directory
# belongs to the user of the container that writes it (documents.ts serviceUsers).
set -euo pipefail
umask 022

# The Authentik image's user (goauthentik/authentik lifecycle/container/Dockerfile: USER 1000).
readonly AUTHENTIK_UID=1000

root="${HOMELAB_ROOT:-}"
imds="${HOMELAB_IMDS_URL:-http://169.254.169.254/opc/v2/instance/metadata}"
project_dir="$root/opt/homelab"
state_dir="$root/var/lib/homelab"
sbin_dir="$root/usr/local/sbin"

log() { printf 'homelab-sync: %s\n' "$*" >&2; }

fetch() {
  # IMDSv2 only: the legacy v1 endpoints are disabled on the instance.
  curl --fail --silent --show-error --retry 3 --max-time 20 -H 'Authorization: Bearer Oracle' "$imds/$1"
}

# Containers have no business with the metadata service, which holds the secrets bundle.
# Bridged containers pass DOCKER-USER; a host-network container's packets leave through OUTPUT
# as its user, which the project pins (non-root) and lists in host-network-uids.
block_metadata_from_containers() {
  local uid
  if ! iptables -C DOCKER-USER -d 169.254.169.254/32 -j REJECT 2>/dev/null; then
    iptables -N DOCKER-USER 2>/dev/null || true
    iptables -I DOCKER-USER -d 169.254.169.254/32 -j REJECT
    log "containers may no longer reach the instance metadata service"
  fi
  [[ -f "$project_dir/host-network-uids" ]] || return 0
  while read -r uid; do
    [[ "$uid" =~ ^[1-9][0-9]*$ ]] || continue
    if ! iptables -C OUTPUT -d 169.254.169.254/32 -m owner --uid-owner "$uid" -j REJECT 2>/dev/null; then
      iptables -I OUTPUT -d 169.254.169.254/32 -m owner --uid-owner "$uid" -j REJECT
      log "user $uid (a host-network container) may no longer reach the instance metadata service"
    fi
  done <"$project_dir/host-network-uids"
}

# State created once on the VM and kept there (backed up by the backup service, never in Git).
prepare_state() {
  mkdir -p "$state_dir/omni/etcd" "$state_dir/omni/tls" "$state_dir/postgres" "$state_dir/dumps" "$state_dir/acme" "$state_dir/backup-cache"
  # The backup service's restic cache and last-run state: root's alone, like the data it copies.
  chmod 0700 "$state_dir/omni" "$state_dir/acme" "$state_dir/backup-cache"
  # Authentik writes its files (/data) and reads its certificates (/certs) as uid 1000.
  mkdir -p "$state_dir/authentik/data" "$state_dir/authentik/certs"
  chown "$AUTHENTIK_UID:$AUTHENTIK_UID" "$state_dir/authentik/data" "$state_dir/authentik/certs"
  chmod 0750 "$state_dir/authentik/data" "$state_dir/authentik/certs"
  if [[ ! -s "$state_dir/omni/omni.asc" ]]; then
    # Omni encrypts its etcd with this key: generated here so that it exists only on the VM
    # and in the encrypted backups.
    local gnupg fingerprint
    gnupg="$(mktemp -d)"
    GNUPGHOME="$gnupg" gpg --batch --passphrase '' --quick-generate-key "Omni etcd (homelab)" rsa4096 cert never
    fingerprint="$(GNUPGHOME="$gnupg" gpg --list-keys --with-colons | awk -F: '/^fpr:/ { print $10; exit }')"
    GNUPGHOME="$gnupg" gpg --batch --passphrase '' --quick-add-key "$fingerprint" rsa4096 encr never
    (umask 077 && GNUPGHOME="$gnupg" gpg --batch --export-secret-keys --armor >"$state_dir/omni/omni.asc")
    rm -rf "$gnupg"
    log "generated Omni's etcd encryption key"
  fi
}

# The host firewall admits exactly the project's ingress exceptions (`<protocol> <port> <name>`
# per line), each rule marked with its name, and drops the rules of exceptions that are gone.
admit_exceptions() {
  local file="$project_dir/host-firewall" wanted=" " proto port name line
  [[ -f "$file" ]] || return 0
  while read -r proto port name; do
    [[ -n "$proto" ]] || continue
    wanted+="$proto/$port/$name "
    if ! iptables -C INPUT -p "$proto" --dport "$port" -m comment --comment "homelab-exception=$name" -j ACCEPT 2>/dev/null; then
      iptables -I INPUT -p "$proto" --dport "$port" -m comment --comment "homelab-exception=$name" -j ACCEPT
      log "host firewall admits $proto/$port ($name)"
    fi
  done <"$file"
  while read -r line; do
    [[ "$line" =~ -p\ ([a-z]+).*--dport\ ([0-9]+).*homelab-exception=([a-z0-9-]+) ]] || continue
    if [[ "$wanted" != *" ${BASH_REMATCH[1]}/${BASH_REMATCH[2]}/${BASH_REMATCH[3]} "* ]]; then
      local rule
      read -ra rule <<<"${line/#-A /-D }"
      iptables "${rule[@]}"
      log "host firewall no longer admits ${BASH_REMATCH[1]}/${BASH_REMATCH[2]} (${BASH_REMATCH[3]})"
    fi
  done < <(iptables -S INPUT | grep -F 'homelab-exception=' || true)
}

# Omni loads the machine API's certificate once, at start: restart it when the acme service has
# installed a new one (the first certificate needs none, Omni waits for it).
restart_omni_on_new_certificate() {
  local cert="$state_dir/omni/tls/omni.crt" seen="$state_dir/omni/certificate.sha256" digest
  [[ -s "$cert" ]] || return 0
  digest="$(sha256sum "$cert" | cut -d' ' -f1)"
  if [[ -f "$seen" && "$(cat "$seen")" == "$digest" ]]; then return 0; fi
  if [[ -f "$seen" ]]; then
    docker compose --project-directory "$project_dir" restart omni
    log "restarted Omni for its renewed certificate"
  fi
  printf '%s\n' "$digest" >"$seen"
}

work=""
apply_project() {
  local digest
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  fetch homelab-project >"$work/project.b64"
  fetch homelab-secrets >"$work/secrets.b64"
  digest="$(cat "$work/project.b64" "$work/secrets.b64" | sha256sum | cut -d' ' -f1)"
  if [[ -f "$state_dir/applied.sha256" && "$(cat "$state_dir/applied.sha256")" == "$digest" ]]; then
    return 0
  fi

  mkdir -p "$work/next"
  chmod 0755 "$work/next"
  base64 -d "$work/project.b64" | tar -xzf - -C "$work/next" --no-same-owner
  (umask 077 && base64 -d "$work/secrets.b64" | tar -xzf - -C "$work/next" --no-same-owner)
  chmod 0700 "$work/next/secrets"
  chmod 0600 "$work/next"/secrets/*

  prepare_state

  if ! docker compose --project-directory "$work/next" config --quiet; then
    log "the new project does not validate; keeping the running one"
    return 1
  fi

  mkdir -p "$(dirname "$project_dir")"
  rm -rf "$project_dir.previous"
  if [[ -d "$project_dir" ]]; then mv "$project_dir" "$project_dir.previous"; fi
  cp -a "$work/next" "$project_dir"
  block_metadata_from_containers
  docker compose --project-directory "$project_dir" up -d --remove-orphans
  admit_exceptions
  # The bundle carries the current version of this script; the next tick runs it.
  install -D -m 0755 "$project_dir/homelab-sync.sh" "$sbin_dir/homelab-sync"
  printf '%s\n' "$digest" >"$state_dir/applied.sha256"
  log "applied project ${digest:0:12}"
}

main() {
  block_metadata_from_containers
  admit_exceptions
  restart_omni_on_new_certificate
  apply_project
}

main "$@"
