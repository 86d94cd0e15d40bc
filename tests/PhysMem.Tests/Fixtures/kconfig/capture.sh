#!/usr/bin/env bash
# Captures one kernel's page->flags layout as the kernel itself prints it, for the Kconfig fixtures.
#
#   capture.sh PACKAGE[:ARCH] NAME        e.g. capture.sh linux-image-6.1.0-56-amd64-unsigned debian-6.1-amd64
#
# Downloads a Debian kernel package (apt-get download; for another architecture first run
# `dpkg --add-architecture i386|arm64|armhf|ppc64el|s390x && apt-get update`), unpacks it, boots its vmlinuz in QEMU
# without an initrd and with `mminit_loglevel=4` (the kernel must be built with
# CONFIG_DEBUG_MEMORY_INIT, as Debian's are), and keeps what the tests read:
#
#   NAME/config        the package's /boot/config-* (the .config the kernel was built from)
#   NAME/mminit.txt    the kernel's mminit::pageflags_layout_* lines, log prefix removed
#   NAME/NOTE.md       package, version, QEMU command line
#
# The boot panics after memory init (no root file system), which is enough: the layout lines come
# first. x86-64 kernels are booted with `-cpu max`, whose 5-level paging (LA57) lets a kernel built
# with CONFIG_X86_5LEVEL use MAX_PHYSMEM_BITS 52; when the kernel has 5-level paging, a second boot
# on the 4-level `qemu64` CPU is kept as mminit-4level.txt (MAX_PHYSMEM_BITS 46).
#
# Needs: apt-get, dpkg-deb, timeout, and QEMU: qemu-system-x86 (amd64, i386), qemu-system-arm (arm64,
# armhf), qemu-system-ppc (ppc64el, on the pSeries board) or qemu-system-misc (s390x). The tests do
# not run this script; they read the files it leaves.
set -euo pipefail

package=${1:?package name, e.g. linux-image-6.1.0-56-amd64-unsigned}
name=${2:?fixture name, e.g. debian-6.1-amd64}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && apt-get download "$package" >/dev/null)
deb=$(ls "$work"/*.deb)
dpkg-deb -x "$deb" "$work/pkg"
config=$(ls "$work"/pkg/boot/config-*)
vmlinuz=$(ls "$work"/pkg/boot/vmlinuz-* 2>/dev/null || true)
version=$(dpkg-deb -f "$deb" Version)
debarch=$(dpkg-deb -f "$deb" Architecture)

boot() { # $1 = output file, rest = QEMU command line
    local out=$1; shift
    timeout 300 "$@" >"$work/serial.log" 2>&1 || true
    grep -a 'mminit::pageflags_layout' "$work/serial.log" | sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\] //' >"$out"
    if [ ! -s "$out" ]; then
        echo "no mminit::pageflags_layout lines in the boot log of $package:" >&2
        tail -n 40 "$work/serial.log" >&2
        exit 1
    fi
}

append="mminit_loglevel=4 panic=-1 loglevel=8"
mkdir -p "$here/$name"
cp "$config" "$here/$name/config"
case "$debarch" in
    amd64)
        cmd=(qemu-system-x86_64 -cpu max -m 2G -nographic -no-reboot -kernel "$vmlinuz" -append "console=ttyS0 $append")
        boot "$here/$name/mminit.txt" "${cmd[@]}"
        if grep -q '^CONFIG_X86_5LEVEL=y' "$config"; then
            boot "$here/$name/mminit-4level.txt" qemu-system-x86_64 -cpu qemu64 -m 2G -nographic -no-reboot -kernel "$vmlinuz" -append "console=ttyS0 $append"
        fi
        ;;
    i386)
        cmd=(qemu-system-i386 -cpu max -m 2G -nographic -no-reboot -kernel "$vmlinuz" -append "console=ttyS0 $append")
        boot "$here/$name/mminit.txt" "${cmd[@]}"
        ;;
    arm64)
        cmd=(qemu-system-aarch64 -M virt -cpu max -m 2G -nographic -no-reboot -kernel "$vmlinuz" -append "console=ttyAMA0 $append")
        boot "$here/$name/mminit.txt" "${cmd[@]}"
        ;;
    ppc64el)
        # pSeries: the package ships an ELF vmlinux, which SLOF loads; the console is the hypervisor's.
        vmlinux=$(ls "$work"/pkg/boot/vmlinux-*)
        cmd=(qemu-system-ppc64 -M pseries -m 2G -nographic -no-reboot -kernel "$vmlinux" -append "console=hvc0 $append")
        boot "$here/$name/mminit.txt" "${cmd[@]}"
        vmlinuz=$vmlinux
        ;;
    s390x)
        cmd=(qemu-system-s390x -m 2G -nographic -no-reboot -kernel "$vmlinuz" -append "console=ttysclp0 $append")
        boot "$here/$name/mminit.txt" "${cmd[@]}"
        ;;
    armhf)
        cmd=(qemu-system-arm -M virt -m 2G -nographic -no-reboot -kernel "$vmlinuz" -append "console=ttyAMA0 $append")
        boot "$here/$name/mminit.txt" "${cmd[@]}"
        ;;
    *)
        echo "no QEMU command for $debarch" >&2
        exit 1
        ;;
esac

{
    echo "# $name"
    echo
    echo "- Package: \`$package\` version \`$version\` ($debarch), Debian"
    echo "- Kernel: $(sed -n 's/^# Linux\/\(.*\) Kernel Configuration$/\1/p' "$config" | head -n 1)"
    echo "- config: the package's \`/boot/$(basename "$config")\`, unchanged"
    echo "- mminit.txt: \`${cmd[*]/$vmlinuz/vmlinuz}\`"
    if [ -f "$here/$name/mminit-4level.txt" ]; then
        echo "- mminit-4level.txt: the same with \`-cpu qemu64\` (no 5-level paging, so MAX_PHYSMEM_BITS 46)"
    fi
    echo "- Captured with \`capture.sh $package $name\`."
} >"$here/$name/NOTE.md"
echo "captured $name: $(wc -l <"$here/$name/mminit.txt") lines"
