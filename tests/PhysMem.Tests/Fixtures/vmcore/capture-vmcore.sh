#!/usr/bin/env bash
# Boots a Debian amd64 kernel under QEMU, prints the guest's own view of its memory, and dumps the
# guest's memory as an ELF vmcore with a VMCOREINFO note, for the vmcore fixtures beside this script.
#
#   capture-vmcore.sh PACKAGE NAME DUMPDIR [QEMU OPTION...] [-- KERNEL PARAMETER...]
#
#   capture-vmcore.sh linux-image-6.1.0-57-amd64-unsigned 6.1-4level ../dumps -cpu max,la57=off
#   capture-vmcore.sh linux-image-6.1.0-57-amd64-unsigned 6.1-5level ../dumps -cpu max
#   capture-vmcore.sh linux-image-6.12.118+deb12-amd64-unsigned 6.12-4level ../dumps -cpu max,la57=off
#
# What happens:
#   1. apt-get download fetches the kernel package; its vmlinuz, .config and qemu_fw_cfg module are
#      taken out of it.
#   2. An initramfs of the host's static busybox (Debian's busybox-static) whose /init loads
#      qemu_fw_cfg (without it the guest never tells QEMU where its VMCOREINFO note is, and the dump
#      has none), folds the per-CPU counters (`echo 1 > /proc/sys/vm/stat_refresh`), prints
#      /proc/zoneinfo and /proc/meminfo between markers on the serial console, prints READY, and then
#      prints both files again twenty seconds later (so the capture shows whether they moved around the
#      dump).
#   3. QEMU (1 GiB, one CPU, `-device vmcoreinfo`, QMP on a socket) boots it; when READY appears the
#      script asks QMP for `dump-guest-memory` (ELF, no paging: one PT_LOAD per RAM block, p_paddr the
#      guest physical address), which pauses the guest while it writes, then quits QEMU.
#   4. If the kernel's debug package (PACKAGE with -unsigned replaced by -dbg) can be fetched, the
#      kernel's own LRU, slab and free page counters in the dump are read with its vmlinux
#      (kernel-counters.py), and, when crash is installed, crash's `kmem -i`, `kmem -z` and `kmem -V`
#      (crash.txt) and `kmem -s` (crash-kmem-s.txt: every slab cache's slabs and slab size) are recorded
#      (VMCORE_DBG_DEB=FILE uses a debug package already downloaded: 0.9-1 GB; CRASH=PROGRAM another
#      crash: Debian 12's 8.0.2 cannot open 6.12 dumps, crash-from-debian13.sh makes one that can).
#
# Left in DUMPDIR/NAME/: vmcore (about 1.1 GB; never committed), zoneinfo, meminfo, zoneinfo-after,
# meminfo-after, config, kernel, dmesg, counters.txt, crash.txt and crash-kmem-s.txt (step 4), NOTE.md, DONE. The trimmed fixture
# beside this script is made from the full dump with `physmem vmcore DUMPDIR/NAME/vmcore --trim OUT`.
#
# Needs: apt-get, dpkg-deb, busybox (static), cpio, gzip, xz, python3, qemu-system-x86_64, timeout;
# nm and gdb (and optionally crash) for step 4. Without /dev/kvm QEMU emulates the CPU (TCG); a boot takes one to two minutes.
# The tests do not run this script; they read the trimmed fixtures it leads to.
set -euo pipefail

package=${1:?package name, e.g. linux-image-6.1.0-57-amd64-unsigned}
name=${2:?capture name, e.g. 6.1-4level}
dumps=${3:?directory for the full dumps (over a gigabyte each)}
shift 3
qemu_options=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    qemu_options+=("$1")
    shift
done
[ $# -gt 0 ] && shift
kernel_parameters=("$@")

out="$(mkdir -p "$dumps/$name" && cd "$dumps/$name" && pwd)"
rm -f "$out/DONE" "$out/vmcore"
work=$(mktemp -d)
chmod 755 "$work" # apt-get download fetches as its own user
trap 'rm -rf "$work"' EXIT

(cd "$work" && apt-get download "$package" >/dev/null)
deb=$(ls "$work"/*.deb)
dpkg-deb -x "$deb" "$work/pkg"
vmlinuz=$(ls "$work"/pkg/boot/vmlinuz-*)
cp "$(ls "$work"/pkg/boot/config-*)" "$out/config"
version=$(dpkg-deb -f "$deb" Version)

root="$work/initramfs"
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
cp "$(command -v busybox)" "$root/bin/busybox"
module=$(find "$work/pkg/lib/modules" -name 'qemu_fw_cfg.ko*')
case "$module" in
    *.xz) xz -dc "$module" >"$root/qemu_fw_cfg.ko" ;;
    *.zst) zstd -dc "$module" >"$root/qemu_fw_cfg.ko" ;;
    *) cp "$module" "$root/qemu_fw_cfg.ko" ;;
esac
cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
insmod /qemu_fw_cfg.ko || echo "qemu_fw_cfg did not load: the dump will have no VMCOREINFO"
show() { echo "==== BEGIN $1 ===="; cat "$2"; echo "==== END $1 ===="; }
echo "==== BEGIN kernel ===="
uname -r
echo "==== END kernel ===="
echo "==== BEGIN dmesg ===="
dmesg
echo "==== END dmesg ===="
sleep 2
echo 1 >/proc/sys/vm/stat_refresh
show zoneinfo /proc/zoneinfo
show meminfo /proc/meminfo
echo "==== READY ===="
sleep 20
echo 1 >/proc/sys/vm/stat_refresh
show zoneinfo-after /proc/zoneinfo
show meminfo-after /proc/meminfo
echo "==== FINISHED ===="
while true; do sleep 3600; done
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -9) >"$work/initramfs.gz"

append="console=ttyS0 panic=-1 mminit_loglevel=4${kernel_parameters[*]:+ ${kernel_parameters[*]}}"
qmp="$work/qmp.sock"
serial="$work/serial.log"
cmd=(qemu-system-x86_64 -m 1G -smp 1 "${qemu_options[@]}" -device vmcoreinfo -display none
     -no-reboot -serial "file:$serial" -qmp "unix:$qmp,server=on,wait=off"
     -kernel "$vmlinuz" -initrd "$work/initramfs.gz" -append "$append")
"${cmd[@]}" &
qemu_pid=$!

# QMP: wait for READY on the serial log, dump, wait for FINISHED, quit. dump-guest-memory without
# "detach" answers only when the file is written.
python3 - "$qmp" "$serial" "$out/vmcore" <<'EOF'
import json, socket, sys, time
sock_path, serial, vmcore = sys.argv[1:]

def wait_for(marker, seconds):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with open(serial, errors="replace") as f:
                if marker in f.read():
                    return
        except FileNotFoundError:
            pass
        time.sleep(0.2)
    sys.exit(f"no '{marker}' on the serial console after {seconds} s")

for _ in range(100):
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock_path)
        break
    except OSError:
        time.sleep(0.1)
f = s.makefile("rw")

def command(name, **arguments):
    f.write(json.dumps({"execute": name, "arguments": arguments}) + "\n")
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if "return" in reply:
            return reply["return"]
        if "error" in reply:
            sys.exit(f"QMP {name}: {reply['error']}")

json.loads(f.readline())  # greeting
command("qmp_capabilities")
wait_for("==== READY ====", 900)
started = time.time()
command("dump-guest-memory", paging=False, protocol="file:" + vmcore)
print(f"dump written in {time.time() - started:.1f} s")
wait_for("==== FINISHED ====", 120)
command("quit")
EOF
wait "$qemu_pid" || true

section() { # $1 = name: the lines between its markers, carriage returns removed
    sed -e 's/\r$//' "$serial" | sed -n "/^==== BEGIN $1 ====\$/,/^==== END $1 ====\$/p" | sed -e '1d' -e '$d'
}
for file in kernel dmesg zoneinfo meminfo zoneinfo-after meminfo-after; do
    section "$file" >"$out/$file"
    if [ ! -s "$out/$file" ]; then
        echo "nothing captured for $file; the end of the serial log:" >&2
        tail -n 40 "$serial" >&2
        exit 1
    fi
done
if grep -q 'qemu_fw_cfg did not load' "$serial"; then
    echo "qemu_fw_cfg did not load in the guest: the dump has no VMCOREINFO note" >&2
    exit 1
fi

# The kernel's own counters in the full dump, read with the debug vmlinux: kernel-counters.py
# always, and crash where it can open the dump (Debian 12's crash 8.0.2 cannot open 6.12 dumps; set
# CRASH to the crash-from-debian13.sh one).
counters_line="not read (no debug package)"
crash_line="not run (no debug package, or crash is not installed)"
dbg_package=${package/-unsigned/-dbg}
dbg=${VMCORE_DBG_DEB:-}
if [ -z "$dbg" ]; then
    (cd "$work" && apt-get download "$dbg_package" >/dev/null 2>&1) || true
    dbg=$(ls "$work"/"${dbg_package%%_*}"_*.deb 2>/dev/null | head -n 1 || true)
fi
if [ -n "$dbg" ]; then
    vmlinux_path=$(dpkg-deb -c "$dbg" | awk '{print $6}' | grep -E '/boot/vmlinux-' | head -n 1)
    dpkg-deb --fsys-tarfile "$dbg" | tar -x -C "$work" "$vmlinux_path"
    vmlinux="$work/$vmlinux_path"
    python3 "$(dirname "$0")/kernel-counters.py" "$out/vmcore" "$vmlinux" >"$out/counters.txt"
    counters_line="\`kernel-counters.py vmcore vmlinux\` (vmlinux from \`$(basename "$dbg")\`): counters.txt (the global LRU, slab and free page counters, and each CPU's vm_node_stat_diff not yet folded into them)"
    crash=${CRASH:-crash}
    if command -v "$crash" >/dev/null; then
        printf 'kmem -i\nkmem -z\nkmem -V\nexit\n' >"$work/crash.in"
        "$crash" -s -i "$work/crash.in" "$vmlinux" "$out/vmcore" >"$out/crash.txt" 2>&1 || true
        printf 'kmem -s\nexit\n' >"$work/crash-kmem-s.in"
        "$crash" -s -i "$work/crash-kmem-s.in" "$vmlinux" "$out/vmcore" >"$out/crash-kmem-s.txt" 2>&1 || true
        crash_line="\`crash -s vmlinux vmcore\` ($("$crash" --version 2>/dev/null | grep -m 1 '^crash' || true)) with input \`kmem -i\`, \`kmem -z\`, \`kmem -V\`: crash.txt; with input \`kmem -s\`: crash-kmem-s.txt"
    fi
fi

{
    echo "# $name"
    echo
    echo "- Package: \`$package\` version \`$version\`, Debian"
    echo "- Kernel: \`$(cat "$out/kernel")\`"
    echo "- QEMU: \`$(qemu-system-x86_64 --version | head -n 1)\`, no KVM (TCG)"
    echo "- Command line: \`${cmd[*]//$work\//}\` (paths relative to the script's temporary folder)"
    echo "- Dump: QMP \`dump-guest-memory\` (ELF, paging false), taken when the guest printed READY"
    echo "- zoneinfo / meminfo: printed by the guest after \`echo 1 > /proc/sys/vm/stat_refresh\`,"
    echo "  just before the dump; the -after files twenty seconds after it"
    echo "- Kernel counters: $counters_line"
    echo "- crash: $crash_line"
    echo "- Captured with \`capture-vmcore.sh $package $name DUMPDIR ${qemu_options[*]}${kernel_parameters[*]:+ -- ${kernel_parameters[*]}}\`."
} >"$out/NOTE.md"
touch "$out/DONE"
echo "captured $name: kernel $(cat "$out/kernel"), $(stat -c %s "$out/vmcore") bytes"
