# runner-user-data: the CI runner VM's cloud-init user data as a Proxmox snippet, which the VM's
# cloud-init drive reads (initialization.userDataFileId). Snippets need a directory storage that
# allows the `snippets` content type; Proxmox's `local` does not by default, so it is added once.

current="$(pvesh get "/storage/$STORAGE" --output-format json | sed -n 's/.*"content":"\([^"]*\)".*/\1/p')"
[[ -n "$current" ]] || die "storage $STORAGE lists no content types (pvesh get /storage/$STORAGE); use a directory storage for snippets"
if [[ ",$current," != *",snippets,"* ]]; then
  pvesm set "$STORAGE" --content "$current,snippets"
  changed=1
  log "storage $STORAGE now holds snippets"
fi
path="$(pvesm path "$STORAGE:snippets/$FILE")"
[[ "$path" == /* ]] || die "pvesm path $STORAGE:snippets/$FILE gave \"$path\", not a file path"
write_file "$path" "$USER_DATA" || true
