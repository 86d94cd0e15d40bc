#!/usr/bin/env bash
# Makes a crash that opens 6.12 dumps on a Debian 12 host. Debian 12's crash (8.0.2) says a 6.12
# vmlinux and its dump "do not match"; Debian 13's crash 8.0.6 reads them, but needs Debian 13's C and
# C++ libraries. This fetches that crash and the libraries it links, unpacks them into DIR (nothing is
# installed on the host), and writes DIR/crash, which runs it with Debian 13's loader and libraries.
#
#   crash-from-debian13.sh DIR
#   CRASH=DIR/crash capture-vmcore.sh ...      # or: DIR/crash -s vmlinux vmcore
#
# Needs: curl, xz, dpkg-deb and access to deb.debian.org.
set -euo pipefail

dir=${1:?directory to unpack into}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$dir/root"
dir=$(cd "$dir" && pwd)
curl -fsS "$mirror/dists/trixie/main/binary-amd64/Packages.xz" -o "$dir/Packages.xz"
for package in crash libc6 libstdc++6 libgcc-s1 libzstd1 libsnappy1v5 liblzo2-2 libncursesw6 libtinfo6; do
    file=$(xz -dc "$dir/Packages.xz" | awk -v p="$package" '$0 == "Package: " p { found = 1 } found && /^Filename:/ && !done { print $2; done = 1 }')
    [ -n "$file" ] || { echo "$package is not in Debian 13's package list" >&2; exit 1; }
    curl -fsS "$mirror/$file" -o "$dir/$(basename "$file")"
    dpkg-deb -x "$dir/$(basename "$file")" "$dir/root"
done
# The loader, the libraries beside it and crash itself, wherever the packages put them.
loader=$(find "$dir/root" -name 'ld-linux-x86-64.so.2' -type f -print -quit)
program=$(find "$dir/root" -path '*/bin/crash' -type f -print -quit)
[ -n "$loader" ] && [ -n "$program" ] || { echo "the unpacked packages hold no loader or no crash" >&2; exit 1; }
lib=$(dirname "$loader")
cat >"$dir/crash" <<WRAPPER
#!/bin/sh
exec "$loader" --library-path "$lib" "$program" "\$@"
WRAPPER
chmod +x "$dir/crash"
"$dir/crash" --version | grep -m 1 "^crash" || true
