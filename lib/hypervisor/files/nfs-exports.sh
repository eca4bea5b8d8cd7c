# NFS exports of the media library (story 2.1.2) for the clusters' nfs-media class, limited to
# the home network where the cluster VMs live (and the Twingate connector for CLOUD).

if ! dpkg -s nfs-kernel-server >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y nfs-kernel-server
  changed=1
fi

lines=()
for dataset in "${EXPORTED[@]}"; do
  clients=()
  for cidr in "${CLIENT_CIDRS[@]}"; do
    clients+=("$cidr($EXPORT_OPTIONS)")
  done
  lines+=("/$POOL/$dataset ${clients[*]}")
done

if write_file /etc/exports.d/homelab.exports "$(printf '%s\n' "# Managed by the homelab program; edits are overwritten." "${lines[@]}")"; then
  systemctl enable --now nfs-server.service
  exportfs -ra
fi
