/*
 * The native baseline of the start-up and walk benchmarks: what building and walking a memmap
 * costs in C, written the way the kernel's __init_single_page writes it (every 64-byte struct page
 * stored once, flags first), into fresh anonymous memory.
 *
 *     gcc -O2 physmem_startup.c -o out/physmem-startup
 *     out/physmem-startup build BYTES MODE          # one build + unmap, one CSV line
 *     out/physmem-startup walk SEGMENTS NODES_PGSHIFT NODES_MASK ZONES_PGSHIFT ZONES_MASK
 *     out/physmem-startup fragment BYTES SECONDS    # holds BYTES with every other 4 KiB page freed
 *
 * build MODE is one of
 *   4k              mmap, MADV_NOHUGEPAGE: one 4 KiB fault per page, as a heap block is filled
 *   4k-populate     mmap, MADV_NOHUGEPAGE, MADV_POPULATE_WRITE before the loop (faults taken in one call)
 *   huge            mmap 2 MiB aligned, MADV_HUGEPAGE: one fault per 2 MiB when huge pages are free
 *   huge-populate   the same, then MADV_POPULATE_WRITE before the loop
 * and prints: mode,bytes,ms,minflt,majflt,compact_stall,rss_kib,hwm_kib,free_2m_blocks
 * (the time covers mmap, advice, the writes and munmap; faults and compact_stall are the deltas of
 * getrusage and /proc/vmstat over the same span; rss is how much VmRSS grew by the time of munmap and
 * hwm how far VmHWM rose above the VmRSS before the build, after resetting it with
 * /proc/self/clear_refs: the memmap's own resident memory, without the program's; free_2m_blocks is the number of free blocks of order 9
 * and above in /proc/buddyinfo before the build: whether huge pages were free).
 *
 * walk reads SEGMENTS (lines "COUNT FLAGS_HEX": COUNT struct pages whose flags word is FLAGS, as
 * the C# harness read them from a model's memmap), builds that memmap, then times a loop over every
 * struct page that extracts the node and zone from the flags word and counts pages per (node, zone),
 * and prints: pages,median_ns_per_page,min_ns_per_page,checksum (the checksum lets the harness check
 * that C counted what C# counted).
 *
 * fragment makes huge pages "not free" honestly, the way a long-running machine gets there: it takes
 * BYTES of memory as huge pages (MADV_HUGEPAGE, touched), which uses up the free 2 MiB blocks, then
 * frees every other 4 KiB page of it (MADV_DONTNEED splits the huge pages), and sleeps: until it
 * exits, the memory it gave back sits in 4 KiB holes, so there is free memory but few free 2 MiB
 * blocks, and an advised region waits for compaction. It holds BYTES / 2; it prints the free 2 MiB
 * blocks left. Give it a little more than twice the free 2 MiB blocks, never most of MemAvailable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

struct page {
	unsigned long flags;
	unsigned long words[7];
};

_Static_assert(sizeof(struct page) == 64, "struct page must match PhysMem.Page");

#define HUGE_SIZE (2UL << 20)

static void die(const char *what)
{
	fprintf(stderr, "physmem-startup: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* A counter of /proc/vmstat, or -1 when the kernel has none. */
static long vmstat(const char *name)
{
	char key[64];
	long value;
	long found = -1;
	FILE *f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &value) == 2)
		if (strcmp(key, name) == 0) {
			found = value;
			break;
		}
	fclose(f);
	return found;
}

/* VmRSS or VmHWM of this process, in KiB. */
static long status_kib(const char *name)
{
	char line[256];
	long value = -1;
	size_t len = strlen(name);
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			value = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return value;
}

/* Free blocks of 2 MiB or more, in 2 MiB units, summed over every zone of /proc/buddyinfo. */
static long free_2m_blocks(void)
{
	char line[512];
	long total = 0;
	FILE *f = fopen("/proc/buddyinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		char *p = strstr(line, "zone");
		if (!p)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++; /* the zone's name */
		for (int order = 0;; order++) {
			char *end;
			long n = strtol(p, &end, 10);
			if (end == p)
				break;
			if (order >= 9)
				total += n << (order - 9);
			p = end;
		}
	}
	fclose(f);
	return total;
}

static void reset_hwm(void)
{
	/* "5" resets VmHWM to VmRSS (Documentation/filesystems/proc.rst); ignored where unsupported. */
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "5", 1) != 1) {
			/* an older kernel: VmHWM stays the process's peak */
		}
		close(fd);
	}
}

static int build(unsigned long bytes, const char *mode)
{
	int huge = strncmp(mode, "huge", 4) == 0;
	int populate = strstr(mode, "populate") != NULL;
	if (!huge && strcmp(mode, "4k") != 0 && strcmp(mode, "4k-populate") != 0) {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}

	long blocks = free_2m_blocks();
	reset_hwm();
	long rss_before = status_kib("VmRSS");
	struct rusage before, after;
	long stalls = vmstat("compact_stall");
	getrusage(RUSAGE_SELF, &before);
	double start = now_ns();

	/* Over-map by 2 MiB and align, so that every 2 MiB of the memmap can be one huge page. */
	size_t length = bytes + HUGE_SIZE;
	char *raw = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		die("mmap");
	struct page *map = (struct page *)(((uintptr_t)raw + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1));
	if (madvise(map, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0)
		die("madvise");
	if (populate && madvise(map, bytes, MADV_POPULATE_WRITE) != 0) {
		if (errno == EINVAL) {
			fprintf(stderr, "physmem-startup: this kernel has no MADV_POPULATE_WRITE (5.14 and later)\n");
			return 3;
		}
		die("madvise(MADV_POPULATE_WRITE)");
	}

	unsigned long n = bytes / sizeof(struct page);
	for (unsigned long i = 0; i < n; i++) {
		struct page *p = map + i;
		/* A node in the upper half, a zone by position: a flags word that varies, as the real one does. */
		p->flags = ((i >= n / 2) ? 1UL << 54 : 0) | ((i < n / 64) ? 1UL << 51 : 2UL << 51);
		for (int w = 0; w < 7; w++)
			p->words[w] = 0;
	}
	__asm__ volatile("" ::"r"(map) : "memory");

	long rss = status_kib("VmRSS");
	long hwm = status_kib("VmHWM");
	munmap(raw, length);
	double ms = (now_ns() - start) / 1e6;
	getrusage(RUSAGE_SELF, &after);
	long stalls_after = vmstat("compact_stall");
	printf("%s,%lu,%.3f,%ld,%ld,%ld,%ld,%ld,%ld\n", mode, bytes, ms, after.ru_minflt - before.ru_minflt, after.ru_majflt - before.ru_majflt,
	       stalls < 0 ? -1 : stalls_after - stalls, rss - rss_before, hwm - rss_before, blocks);
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/*
 * The timed loop: node and zone of every struct page, counted. Exported with the two below: the walk
 * benchmark loads this file built as a shared library and runs the loop pass by pass, interleaved with
 * its own, in one process.
 */
__attribute__((noinline, noipa)) void physmem_count_pages(const struct page *map, unsigned long n, unsigned nodes_shift, unsigned long nodes_mask,
							 unsigned zones_shift, unsigned long zones_mask, unsigned long *counts, unsigned long zones)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned long flags = map[i].flags;
		counts[((flags >> nodes_shift) & nodes_mask) * zones + ((flags >> zones_shift) & zones_mask)]++;
	}
}

/* The memmap SEGMENTS describes, in fresh memory; NULL (and *n = 0) when it holds no struct page. */
struct page *physmem_walk_map(const char *segments, unsigned long *n)
{
	FILE *f = fopen(segments, "r");
	if (!f)
		die(segments);
	unsigned long count, flags;
	*n = 0;
	while (fscanf(f, "%lu %lx", &count, &flags) == 2)
		*n += count;
	if (*n == 0) {
		fclose(f);
		return NULL;
	}
	struct page *map = mmap(NULL, *n * sizeof(struct page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		die("mmap");
	rewind(f);
	unsigned long at = 0;
	while (fscanf(f, "%lu %lx", &count, &flags) == 2)
		for (unsigned long i = 0; i < count; i++)
			map[at++].flags = flags;
	fclose(f);
	return map;
}

void physmem_walk_free(struct page *map, unsigned long n)
{
	munmap(map, n * sizeof(struct page));
}

static int walk(const char *segments, unsigned nodes_shift, unsigned long nodes_mask, unsigned zones_shift, unsigned long zones_mask)
{
	unsigned long n;
	struct page *map = physmem_walk_map(segments, &n);
	if (!map) {
		fprintf(stderr, "physmem-startup: %s holds no struct page\n", segments);
		return 2;
	}

	unsigned long zones = zones_mask + 1;
	size_t cells = (nodes_mask + 1) * zones;
	unsigned long *counts = calloc(cells, sizeof(unsigned long));
	if (!counts)
		die("calloc");
	enum { SAMPLES = 9 };
	double samples[SAMPLES];
	physmem_count_pages(map, n, nodes_shift, nodes_mask, zones_shift, zones_mask, counts, zones); /* warm-up */
	for (int s = 0; s < SAMPLES; s++) {
		memset(counts, 0, cells * sizeof(unsigned long));
		double start = now_ns();
		physmem_count_pages(map, n, nodes_shift, nodes_mask, zones_shift, zones_mask, counts, zones);
		samples[s] = (now_ns() - start) / (double)n;
	}
	qsort(samples, SAMPLES, sizeof(double), by_value);

	/* The same checksum as the C# harness: sum over cells of count * (cell index + 1). */
	unsigned long checksum = 0;
	for (size_t c = 0; c < cells; c++)
		checksum += counts[c] * (c + 1);
	printf("%lu,%.4f,%.4f,%lu\n", n, samples[SAMPLES / 2], samples[0], checksum);
	return 0;
}

static int fragment(unsigned long bytes, unsigned seconds)
{
	char *block = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (block == MAP_FAILED)
		die("mmap");
	if (madvise(block, bytes, MADV_HUGEPAGE) != 0)
		die("madvise");
	for (unsigned long off = 0; off < bytes; off += 4096)
		block[off] = 1;
	for (unsigned long off = 0; off < bytes; off += 8192)
		if (madvise(block + off, 4096, MADV_DONTNEED) != 0)
			die("madvise(MADV_DONTNEED)");
	printf("fragmented,%lu,%ld\n", bytes, free_2m_blocks());
	fflush(stdout);
	sleep(seconds);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "build") == 0)
		return build(strtoul(argv[2], NULL, 0), argv[3]);
	if (argc == 7 && strcmp(argv[1], "walk") == 0)
		return walk(argv[2], (unsigned)strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0), (unsigned)strtoul(argv[5], NULL, 0),
			    strtoul(argv[6], NULL, 0));
	if (argc == 4 && strcmp(argv[1], "fragment") == 0)
		return fragment(strtoul(argv[2], NULL, 0), (unsigned)strtoul(argv[3], NULL, 0));
	fprintf(stderr, "usage: %s build BYTES MODE | walk SEGMENTS NODES_PGSHIFT NODES_MASK ZONES_PGSHIFT ZONES_MASK | fragment BYTES SECONDS\n", argv[0]);
	return 2;
}
