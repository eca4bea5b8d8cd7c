# ZFS on the host (story 1.1.2): ARC capped so that the VMs keep their memory (NFR-010), a weekly
# scrub of the pool, and ZED e-mails on pool events.

initramfs=0
if write_file /etc/modprobe.d/zfs.conf "options zfs zfs_arc_max=$ARC_MAX_BYTES"; then initramfs=1; fi
arc_live="$root/sys/module/zfs/parameters/zfs_arc_max"
if [[ -f "$arc_live" && "$(cat "$arc_live")" != "$ARC_MAX_BYTES" ]]; then
  printf '%s\n' "$ARC_MAX_BYTES" >"$arc_live"
  changed=1
  log "ARC limit set to $ARC_MAX_BYTES bytes on the running kernel"
fi
if [[ "$initramfs" == 1 ]]; then update-initramfs -u -k all; fi

# zfsutils ships the weekly scrub timer template; enable it for the pool.
if ! systemctl is-enabled --quiet "zfs-scrub-weekly@$POOL.timer"; then
  systemctl enable --now "zfs-scrub-weekly@$POOL.timer"
  changed=1
  log "weekly scrub enabled for $POOL"
fi

zed=0
if set_kv /etc/zfs/zed.d/zed.rc ZED_EMAIL_ADDR "$ALERT_EMAIL"; then zed=1; fi
if set_kv /etc/zfs/zed.d/zed.rc ZED_NOTIFY_VERBOSE 1; then zed=1; fi
if set_kv /etc/zfs/zed.d/zed.rc ZED_NOTIFY_INTERVAL_SECS 3600; then zed=1; fi
if [[ "$zed" == 1 ]]; then systemctl restart zfs-zed.service; fi
