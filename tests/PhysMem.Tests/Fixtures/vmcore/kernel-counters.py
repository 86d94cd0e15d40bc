#!/usr/bin/env python3
"""Prints the kernel's own page counters from a full x86-64 vmcore, read with its debug vmlinux.

    kernel-counters.py VMCORE VMLINUX

The node counters (vm_node_stat: LRU lists, slab pages) and zone counters (vm_zone_stat: free
pages) are globals in the kernel image, so no page table is needed: a symbol's physical address is
its link address plus KERNELOFFSET, minus __START_KERNEL_map, plus phys_base (both from the dump's
VMCOREINFO note). The enumerators' values come from the vmlinux's debug information through gdb.
This is what `crash` prints with `kmem -V` for these counters; it exists because Debian 12's crash
(8.0.2) cannot open 6.12 dumps.

The global counters lag the pages by each CPU's pending deltas (mm/vmstat.c: a CPU adds its
vm_node_stat_diff to the global only when it passes stat_threshold, or when vmstat_update or
`stat_refresh` folds it), so those are printed too, per CPU and node, as vm_node_stat_diff lines: the
per-cpu pointer pglist_data.per_cpu_nodestats (offset from gdb) plus __per_cpu_offset[cpu], in the
direct map at page_offset_base. It reads the full dump, never writes it, and is not run by the tests:
its output is recorded in NOTE.md beside each fixture.
"""
import struct
import subprocess
import sys

START_KERNEL_MAP = 0xFFFFFFFF80000000
NODE_ITEMS = ["NR_INACTIVE_ANON", "NR_ACTIVE_ANON", "NR_INACTIVE_FILE", "NR_ACTIVE_FILE",
              "NR_UNEVICTABLE", "NR_SLAB_RECLAIMABLE_B", "NR_SLAB_UNRECLAIMABLE_B"]
ZONE_ITEMS = ["NR_FREE_PAGES"]


def load_segments(f):
    f.seek(0)
    ident = f.read(64)
    if ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:
        sys.exit("not a little-endian ELF64 file")
    phoff, = struct.unpack_from("<Q", ident, 32)
    phentsize, phnum = struct.unpack_from("<HH", ident, 54)
    segments, notes = [], []
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p_type, _, p_offset, _, p_paddr, p_filesz = struct.unpack("<IIQQQQ", f.read(40))
        if p_type == 1:
            segments.append((p_paddr, p_offset, p_filesz))
        elif p_type == 4:
            f.seek(p_offset)
            notes.append(f.read(p_filesz))
    return segments, notes


def vmcoreinfo(notes):
    for blob in notes:
        at = 0
        while at + 12 <= len(blob):
            namesz, descsz, _ = struct.unpack_from("<III", blob, at)
            name = blob[at + 12:at + 12 + namesz].rstrip(b"\0")
            desc_at = at + 12 + ((namesz + 3) & ~3)
            desc = blob[desc_at:desc_at + descsz]
            if name == b"VMCOREINFO":
                return dict(line.split("=", 1) for line in desc.decode().splitlines() if "=" in line)
            at = desc_at + ((descsz + 3) & ~3)
    sys.exit("the dump has no VMCOREINFO note")


def read_physical(f, segments, address, size):
    for start, offset, length in segments:
        if start <= address and address + size <= start + length:
            f.seek(offset + address - start)
            return f.read(size)
    sys.exit(f"physical address {address:#x} is not in the dump")


def symbol(vmlinux, name):
    out = subprocess.run(["nm", vmlinux], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    sys.exit(f"{name} is not in {vmlinux}")


def enumerators(vmlinux, names):
    args = ["gdb", "-batch", "-nx"]
    for name in names:
        args += ["-ex", f"print (int){name}"]
    out = subprocess.run(args + [vmlinux], capture_output=True, text=True, check=True).stdout
    values = [int(line.split("=", 1)[1]) for line in out.splitlines() if line.startswith("$")]
    if len(values) != len(names):
        sys.exit("gdb did not print every enumerator:\n" + out)
    return dict(zip(names, values))


def offset_of(vmlinux, struct, member):
    out = subprocess.run(["gdb", "-batch", "-nx", "-ex", f"print (unsigned long)&((struct {struct} *)0)->{member}", vmlinux],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("$"):
            return int(line.split("=", 1)[1])
    sys.exit(f"gdb did not print the offset of {struct}.{member}:\n" + out)


def pending_node_deltas(f, segments, info, vmlinux, kernel_physical):
    """Each CPU's vm_node_stat_diff (s8) of NODE_ITEMS for every node, not yet in vm_node_stat."""
    def u64(physical):
        return struct.unpack("<Q", read_physical(f, segments, physical, 8))[0]
    page_offset = u64(kernel_physical(symbol(vmlinux, "page_offset_base")))
    nr_cpus = struct.unpack("<I", read_physical(f, segments, kernel_physical(symbol(vmlinux, "nr_cpu_ids")), 4))[0]
    per_cpu_offset = kernel_physical(symbol(vmlinux, "__per_cpu_offset"))
    nodestats = offset_of(vmlinux, "pglist_data", "per_cpu_nodestats")
    diff = offset_of(vmlinux, "per_cpu_nodestat", "vm_node_stat_diff")
    items = enumerators(vmlinux, NODE_ITEMS)
    node_data = int(info["SYMBOL(node_data)"], 16)
    for node in range(int(info.get("LENGTH(node_data)", "1"))):
        pgdat = u64(kernel_physical(node_data + 8 * node, relocated=True))
        if pgdat == 0:
            continue
        pointer = u64(pgdat - page_offset + nodestats)
        for cpu in range(nr_cpus):
            base = pointer + u64(per_cpu_offset + 8 * cpu) - page_offset
            for name, index in items.items():
                value, = struct.unpack("<b", read_physical(f, segments, base + diff + index, 1))
                yield node, cpu, name, value


def main():
    vmcore_path, vmlinux = sys.argv[1:3]
    with open(vmcore_path, "rb") as f:
        segments, notes = load_segments(f)
        info = vmcoreinfo(notes)
        offset = int(info["KERNELOFFSET"], 16)
        phys_base = int(info["NUMBER(phys_base)"]) & 0xFFFFFFFFFFFFFFFF
        print(f"OSRELEASE {info['OSRELEASE']}")
        def kernel_physical(address, relocated=False):
            return ((address if relocated else address + offset) - START_KERNEL_MAP + phys_base) & 0xFFFFFFFFFFFFFFFF

        for table, items in (("vm_node_stat", NODE_ITEMS), ("vm_zone_stat", ZONE_ITEMS)):
            physical = kernel_physical(symbol(vmlinux, table))
            for name, index in enumerators(vmlinux, items).items():
                value, = struct.unpack("<q", read_physical(f, segments, physical + 8 * index, 8))
                print(f"{table} {name} {value}")
        for node, cpu, name, value in pending_node_deltas(f, segments, info, vmlinux, kernel_physical):
            print(f"vm_node_stat_diff node{node} cpu{cpu} {name} {value}")


main()
