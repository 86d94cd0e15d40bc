#!/usr/bin/env bash
# Captures a running kernel's own view of its memory, for the machine fixtures beside this script.
#
#   capture-machine.sh PACKAGE NAME [QEMU OPTION...] [-- KERNEL PARAMETER...]
#
#   capture-machine.sh linux-image-6.12.117+deb12-amd64-unsigned qemu-6.12-2node-6g \
#       -m 6G -smp 2 \
#       -object memory-backend-ram,id=m0,size=3G -numa node,memdev=m0,cpus=0 \
#       -object memory-backend-ram,id=m1,size=3G -numa node,memdev=m1,cpus=1
#   capture-machine.sh linux-image-6.12.117+deb12-amd64-unsigned qemu-6.12-memmap-holes \
#       -m 5G -- 'memmap=256M$0x100000000'
#
# Downloads a Debian amd64 kernel package (apt-get download), unpacks it, builds a tiny initramfs
# from the static busybox of the machine running this script (Debian's busybox-static package)
# whose /init mounts proc and sysfs, prints the files below to the serial console between
# `==== BEGIN name ====` and `==== END name ====` lines and powers the guest off. The kernel is
# booted in QEMU with the options given, and what the tests read is kept:
#
#   NAME/iomem             /proc/iomem (read as root, so the addresses are real)
#   NAME/zoneinfo          /proc/zoneinfo
#   NAME/block_size_bytes  /sys/devices/system/memory/block_size_bytes
#   NAME/memory_blocks     one line per /sys/devices/system/memory/memoryN: "N node", the node
#                          taken from the memoryN/nodeK link the kernel makes
#   NAME/kernel            uname -r
#   NAME/dmesg-memory      the boot log's lines about memory and nodes (Zone ranges, Early memory
#                          node ranges, Initmem setup, NUMA/SRAT), without their timestamps
#   NAME/NOTE.md           package, version, QEMU command line, kernel parameters
#
# Needs: apt-get, dpkg-deb, busybox (static), cpio, gzip, qemu-system-x86_64 (qemu-system-aarch64
# from qemu-system-arm for arm64 kernels), timeout. Without
# /dev/kvm QEMU emulates the CPU (TCG); a boot then takes a minute or two. The tests do not run this
# script; they read the files it leaves.
set -euo pipefail

package=${1:?package name, e.g. linux-image-6.12.117+deb12-amd64-unsigned}
name=${2:?fixture name, e.g. qemu-6.12-2node-6g}
shift 2
qemu_options=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    qemu_options+=("$1")
    shift
done
[ $# -gt 0 ] && shift
kernel_parameters=("$@")

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
chmod 755 "$work" # apt-get download fetches as its own user
trap 'rm -rf "$work"' EXIT

# amd64 kernels boot on QEMU's PC; arm64 kernels (their package names say arm64) on its 'virt'
# board with the 'max' CPU (every page size), their console on the PL011 UART, and an arm64
# busybox (Debian's busybox-static:arm64, needing 'dpkg --add-architecture arm64').
case "$package" in
    *arm64*) qemu=qemu-system-aarch64; board=(-M virt -cpu max); console=ttyAMA0; busybox_package=busybox-static:arm64 ;;
    *) qemu=qemu-system-x86_64; board=(); console=ttyS0; busybox_package= ;;
esac

(cd "$work" && apt-get download "$package" >/dev/null)
deb=$(ls "$work"/*.deb)
dpkg-deb -x "$deb" "$work/pkg"
vmlinuz=$(ls "$work"/pkg/boot/vmlinuz-*)
version=$(dpkg-deb -f "$deb" Version)

# The initramfs: busybox and an /init that prints each file between markers.
root="$work/initramfs"
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
if [ -n "$busybox_package" ]; then
    mkdir -p "$work/busybox"
    (cd "$work/busybox" && apt-get download "$busybox_package" >/dev/null)
    dpkg-deb -x "$(ls "$work"/busybox/*.deb)" "$work/busybox/pkg"
    cp "$work/busybox/pkg/bin/busybox" "$root/bin/busybox"
else
    cp "$(command -v busybox)" "$root/bin/busybox"
fi
cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
show() { echo "==== BEGIN $1 ===="; cat "$2"; echo "==== END $1 ===="; }
show iomem /proc/iomem
show zoneinfo /proc/zoneinfo
show block_size_bytes /sys/devices/system/memory/block_size_bytes
echo "==== BEGIN memory_blocks ===="
for block in /sys/devices/system/memory/memory*; do
    for link in "$block"/node*; do
        [ -e "$link" ] && echo "${block##*/memory} ${link##*/node}"
    done
done
echo "==== END memory_blocks ===="
echo "==== BEGIN kernel ===="
uname -r
echo "==== END kernel ===="
echo "==== BEGIN dmesg ===="
dmesg
echo "==== END dmesg ===="
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -9) >"$work/initramfs.gz"

append="console=$console panic=-1${kernel_parameters[*]:+ ${kernel_parameters[*]}}"
cmd=("$qemu" "${board[@]}" "${qemu_options[@]}" -nographic -no-reboot -kernel vmlinuz -initrd initramfs.gz -append "$append")
timeout 900 "$qemu" "${board[@]}" "${qemu_options[@]}" -nographic -no-reboot \
    -kernel "$vmlinuz" -initrd "$work/initramfs.gz" -append "$append" >"$work/serial.log" 2>&1 || true

section() { # $1 = name: the lines between its markers, carriage returns removed
    sed -e 's/\r$//' "$work/serial.log" | sed -n "/^==== BEGIN $1 ====\$/,/^==== END $1 ====\$/p" | sed -e '1d' -e '$d'
}

mkdir -p "$here/$name"
for file in iomem zoneinfo block_size_bytes kernel; do
    section "$file" >"$here/$name/$file"
done
section memory_blocks | sort -n -k1,1 -k2,2 >"$here/$name/memory_blocks"
section dmesg | sed -e 's/^\[ *[0-9.]*\] //' \
    | grep -E '^(Zone ranges:|  (DMA|DMA32|Normal|HighMem|Device) +(\[|empty)|Movable zone start|Early memory node ranges|  node +[0-9]+: \[mem|Initmem setup node|NUMA: |SRAT: |NODE_DATA)' \
    >"$here/$name/dmesg-memory" || true
for file in iomem zoneinfo block_size_bytes memory_blocks kernel dmesg-memory; do
    if [ ! -s "$here/$name/$file" ]; then
        echo "nothing captured for $file; the end of the boot log:" >&2
        tail -n 40 "$work/serial.log" >&2
        exit 1
    fi
done

{
    echo "# $name"
    echo
    echo "- Package: \`$package\` version \`$version\` ($(dpkg-deb -f "$deb" Architecture)), Debian"
    echo "- Kernel: \`$(cat "$here/$name/kernel")\`"
    echo "- QEMU: \`$("$qemu" --version | head -n 1)\`, no KVM (TCG)"
    echo "- Command line: \`${cmd[*]}\`"
    echo "- Initramfs: a static busybox whose /init prints the captured files (see capture-machine.sh)"
    echo "- Captured with \`capture-machine.sh $package $name ${qemu_options[*]}${kernel_parameters[*]:+ -- ${kernel_parameters[*]}}\`."
} >"$here/$name/NOTE.md"
echo "captured $name: $(wc -l <"$here/$name/memory_blocks") memory blocks, kernel $(cat "$here/$name/kernel")"
