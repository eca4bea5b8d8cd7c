# The least-privilege identity the program uses (story 1.1.4): a role with only what the
# Proxmox provider needs, a user holding it on /. The API token itself is created once by hand
# (README): its secret is shown only at creation and goes straight into `pulumi config set --secret`.

role_json="$(pveum role list --output-format json)"
if ! grep -q "\"roleid\":\"$ROLE\"" <<<"$role_json"; then
  pveum role add "$ROLE" --privs "$PRIVILEGES"
  changed=1
  log "created role $ROLE"
elif ! grep -o '{[^}]*}' <<<"$role_json" | grep "\"roleid\":\"$ROLE\"" | grep -qF "\"privs\":\"$PRIVILEGES\""; then
  pveum role modify "$ROLE" --privs "$PRIVILEGES"
  changed=1
  log "updated the privileges of $ROLE"
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
