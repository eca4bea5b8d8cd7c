# Shared by the host scripts: fake-root aware paths, logging, and writes that happen only when
# the content differs, so that a second run changes nothing.
root="${HOMELAB_ROOT:-}"
changed=0

log() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# write_file PATH CONTENT: returns 0 when it wrote, 1 when the file already held CONTENT.
write_file() {
  local path="$root$1" content="$2"
  if [[ -f "$path" && "$(cat "$path")" == "$content" ]]; then return 1; fi
  mkdir -p "$(dirname "$path")"
  printf '%s\n' "$content" >"$path"
  changed=1
  log "wrote $1"
  return 0
}

# set_kv PATH KEY VALUE: KEY="VALUE" in a shell-style config file, replacing any (commented) KEY line.
# The file is sourced as shell (ZED's zed.rc): a value that a double-quoted string would expand or
# end ($, `, ", \, a line break) is refused rather than written.
set_kv() {
  local path="$root$1" key="$2" line="$2=\"$3\""
  if [[ "$3" == *[\$\`\"\\]* || "$3" == *$'\n'* ]]; then die "refusing to write $key into $1: its value holds a character the shell would interpret"; fi
  if [[ -f "$path" ]] && grep -qxF "$line" "$path"; then return 1; fi
  mkdir -p "$(dirname "$path")"
  touch "$path"
  sed -i "/^#\{0,1\}${key}=/d" "$path"
  printf '%s\n' "$line" >>"$path"
  changed=1
  log "set $key in $1"
  return 0
}
