# Backups of the pool's datasets (story 4.5.3, FR-024): sanoid takes and prunes snapshots by the
# datasets' backup class (hourly, daily, weekly, monthly), syncoid copies the bulk datasets to the
# destination in config (a second pool or USB disk, another machine over SSH) every night, and a
# daily check of the snapshots' freshness mails the admin (like ZED) when one is late or a copy
# failed. Debian's sanoid package brings sanoid.timer (every 15 minutes); it reads
# /etc/sanoid/sanoid.conf.

if ! dpkg -s sanoid >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y sanoid
  changed=1
fi

write_file /etc/sanoid/sanoid.conf "$SANOID_CONF" || true

if ! systemctl is-enabled --quiet sanoid.timer; then
  systemctl enable --now sanoid.timer
  changed=1
  log "sanoid.timer enabled"
fi

units=0
if write_file /etc/systemd/system/homelab-backup-alert@.service "$ALERT_UNIT"; then units=1; fi
if write_file /etc/systemd/system/homelab-snapshot-check.service "$CHECK_SERVICE"; then units=1; fi
if write_file /etc/systemd/system/homelab-snapshot-check.timer "$CHECK_TIMER"; then units=1; fi
if [[ -n "$SYNCOID_SCRIPT" ]]; then
  if write_file /usr/local/sbin/homelab-syncoid "$SYNCOID_SCRIPT"; then chmod 0755 "$root/usr/local/sbin/homelab-syncoid"; units=1; fi
  if write_file /etc/systemd/system/homelab-syncoid.service "$SYNCOID_SERVICE"; then units=1; fi
  if write_file /etc/systemd/system/homelab-syncoid.timer "$SYNCOID_TIMER"; then units=1; fi
fi
if [[ "$units" == 1 ]]; then systemctl daemon-reload; fi
timers=(homelab-snapshot-check.timer)
if [[ -n "$SYNCOID_SCRIPT" ]]; then timers+=(homelab-syncoid.timer); fi
for timer in "${timers[@]}"; do
  if ! systemctl is-enabled --quiet "$timer"; then
    systemctl enable --now "$timer"
    changed=1
    log "$timer enabled"
  fi
done
