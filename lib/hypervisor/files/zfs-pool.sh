# The media pool from the two large disks (story 1.1.2): a mirror by default. A disk that holds
# a partition table or a filesystem signature is never touched unless ALLOW_WIPE=yes, which
# only homelab:hypervisor.zfs.allowWipe = true sets.

disk_holds_data() {
  local disk="$1"
  [[ -n "$(wipefs --no-act --noheadings --output TYPE "$disk" 2>/dev/null)" ]] && return 0
  [[ "$(lsblk --noheadings --output NAME "$disk" 2>/dev/null | wc -l)" -gt 1 ]] && return 0
  return 1
}

if zpool list -H -o name "$POOL" >/dev/null 2>&1; then
  log "pool $POOL exists; leaving its disks alone"
else
  force=()
  for disk in "${DISKS[@]}"; do
    [[ -e "$root$disk" ]] || die "disk $disk not found; check homelab:hypervisor.zfs.disks against ls -l /dev/disk/by-id"
    if disk_holds_data "$disk"; then
      if [[ "$ALLOW_WIPE" != yes ]]; then
        die "disk $disk holds data (partitions or a filesystem); refusing to create $POOL on it. If its contents may be destroyed, set homelab:hypervisor.zfs.allowWipe to true for one run"
      fi
      log "disk $disk holds data and allowWipe is set: it will be overwritten"
      force=(-f)
    fi
  done
  vdevs=("${DISKS[@]}")
  if [[ "$LAYOUT" == mirror ]]; then vdevs=(mirror "${DISKS[@]}"); fi
  zpool create "${force[@]}" -o ashift=12 -O compression=lz4 -O atime=off -O xattr=sa -O acltype=posixacl -m "/$POOL" "$POOL" "${vdevs[@]}"
  changed=1
  log "created pool $POOL ($LAYOUT)"
fi

for dataset in "${DATASETS[@]}"; do
  if ! zfs list -H -o name "$POOL/$dataset" >/dev/null 2>&1; then
    zfs create -p "$POOL/$dataset"
    changed=1
    log "created dataset $POOL/$dataset"
  fi
done

# Quotas (homelab:hypervisor.zfs.quotasGb): "dataset=bytes", compared in exact bytes so that a
# second run changes nothing.
for entry in "${QUOTAS[@]}"; do
  dataset="${entry%%=*}"
  quota="${entry#*=}"
  if [[ "$(zfs get -Hp -o value quota "$POOL/$dataset")" != "$quota" ]]; then
    zfs set "quota=$quota" "$POOL/$dataset"
    changed=1
    log "quota of $POOL/$dataset set to $quota bytes"
  fi
done
