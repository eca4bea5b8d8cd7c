# The least-privilege identity the program uses (story 1.1.4): a role with only what the
# Proxmox provider needs, a user holding it on /. The API token itself is created once by hand
# (README): its secret is shown only at creation and goes straight into `pulumi config set --secret`.
#
# The privilege names are Proxmox VE 9's (VE 8 is end of life; VE 9 dropped VM.Monitor and split
# the guest agent's rights): on an older host the role would not match, so stop with the reason.

pve_major="$(pveversion | sed -n 's|^pve-manager/\([0-9]*\)\..*|\1|p')"
if [[ -z "$pve_major" || "$pve_major" -lt 9 ]]; then
  log "this host runs $(pveversion | cut -d' ' -f1); the homelab targets Proxmox VE 9 or later (upgrade: pve8to9, then apt full-upgrade)"
  exit 1
fi

# The same privileges in any order are the same role.
as_set() { tr ',' '\n' | sed '/^$/d' | sort | paste -sd, -; }

role_json="$(pveum role list --output-format json)"
if ! grep -q "\"roleid\":\"$ROLE\"" <<<"$role_json"; then
  pveum role add "$ROLE" --privs "$PRIVILEGES"
  changed=1
  log "created role $ROLE"
else
  current="$(grep -o '{[^}]*}' <<<"$role_json" | grep "\"roleid\":\"$ROLE\"" | sed -n 's/.*"privs":"\([^"]*\)".*/\1/p')"
  if [[ "$(as_set <<<"$current")" != "$(as_set <<<"$PRIVILEGES")" ]]; then
    pveum role modify "$ROLE" --privs "$PRIVILEGES"
    changed=1
    log "updated the privileges of $ROLE"
  fi
fi

if ! pveum user list --output-format json | grep -q "\"userid\":\"$USER_ID\""; then
  pveum user add "$USER_ID" --comment "homelab Pulumi program"
  changed=1
  log "created user $USER_ID"
fi

if ! pveum acl list --output-format json | grep -o '{[^}]*}' | grep "\"ugid\":\"$USER_ID\"" | grep -q "\"roleid\":\"$ROLE\""; then
  pveum acl modify / --users "$USER_ID" --roles "$ROLE"
  changed=1
  log "granted $ROLE on / to $USER_ID"
fi
