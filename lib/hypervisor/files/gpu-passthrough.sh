# GPU passthrough for the gaming VM (story 1.1.3): IOMMU on the kernel command line, the VFIO
# modules at boot, the GPU's host drivers blacklisted and its functions bound to vfio-pci.
# IOMMU itself must be enabled in the BIOS (README, one-time steps). Changes need a reboot.

boot=0
# ensure_kernel_args FILE: adds the missing KERNEL_ARGS to a systemd-boot cmdline file.
ensure_cmdline_file() {
  local path="$root$1" current missing=() arg
  current="$(cat "$path")"
  for arg in "${KERNEL_ARGS[@]}"; do
    [[ " $current " == *" $arg "* ]] || missing+=("$arg")
  done
  [[ ${#missing[@]} -gt 0 ]] || return 1
  printf '%s %s\n' "$current" "${missing[*]}" >"$path"
  changed=1
  log "kernel command line += ${missing[*]}"
}

ensure_grub_args() {
  local path="$root/etc/default/grub" current missing=() arg
  current="$(sed -n 's/^GRUB_CMDLINE_LINUX_DEFAULT="\(.*\)"$/\1/p' "$path")"
  for arg in "${KERNEL_ARGS[@]}"; do
    [[ " $current " == *" $arg "* ]] || missing+=("$arg")
  done
  [[ ${#missing[@]} -gt 0 ]] || return 1
  sed -i "s|^GRUB_CMDLINE_LINUX_DEFAULT=.*|GRUB_CMDLINE_LINUX_DEFAULT=\"${current:+$current }${missing[*]}\"|" "$path"
  changed=1
  log "GRUB command line += ${missing[*]}"
}

# Proxmox on ZFS with UEFI boots through systemd-boot (/etc/kernel/cmdline); otherwise GRUB.
if [[ -f "$root/etc/kernel/cmdline" ]]; then
  if ensure_cmdline_file /etc/kernel/cmdline; then proxmox-boot-tool refresh; boot=1; fi
elif [[ -f "$root/etc/default/grub" ]]; then
  if ensure_grub_args; then update-grub; boot=1; fi
else
  die "neither /etc/kernel/cmdline nor /etc/default/grub exists; is this a Proxmox VE host?"
fi

modules=0
if write_file /etc/modules-load.d/vfio.conf "$(printf '%s\n' vfio vfio_iommu_type1 vfio_pci)"; then modules=1; fi
if write_file /etc/modprobe.d/homelab-gpu-blacklist.conf "$(printf 'blacklist %s\n' "${BLACKLIST[@]}")"; then modules=1; fi
ids="$(IFS=,; printf '%s' "${GPU_IDS[*]}")"
if write_file /etc/modprobe.d/homelab-vfio.conf "options vfio-pci ids=$ids disable_vga=1"; then modules=1; fi
if [[ "$modules" == 1 ]]; then update-initramfs -u -k all; fi

if [[ "$boot" == 1 || "$modules" == 1 ]]; then
  write_file /run/homelab/reboot-required "gpu-passthrough" || true
  log "reboot the host to apply the passthrough settings (the gaming VM is off by default)"
fi
