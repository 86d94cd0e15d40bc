/*
 * The native baseline of the PhysMem benchmarks: the same operations as the C# variants, over the
 * same memory layout and the same pfn streams, with the layout as compile-time macros the way the
 * kernel has it. Compiled once per model with that model's header force-included:
 *
 *     gcc -O2 -include out/Vmemmap.h physmem_bench.c -o out/bench-Vmemmap
 *     out/bench-Vmemmap out/Vmemmap.bin out/Vmemmap.expected
 *
 * The header, the .bin file (memory ranges, present sections, every page's flags word, the
 * streams) and the expected checksums are written by the C# harness ('native-export'); run.sh does
 * all of it. The program allocates its own memmap and section table the way the PhysMem runtime
 * does (reserved address space committed per present section for the vmemmap, one aligned block
 * per section for classic SPARSEMEM, one committed mapping for FLATMEM and per node for
 * DISCONTIGMEM), checks that every
 * operation reproduces the C# checksums, then times each loop and prints one CSV line per
 * operation and stream: model,operation,stream,median_ns,min_ns. Built with -DPHYSMEM_BENCH_LIBRARY
 * -shared -fPIC it is a library instead (see the end of the file), which the C# 'paired' command
 * loads to time each loop beside the generated one in one process.
 *
 * The formulas follow include/asm-generic/memory_model.h and include/linux/mmzone.h; the code is
 * this project's own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef PHYSMEM_MODEL
#error "Compile with -include MODEL.h (written by the C# harness's native-export command)."
#endif

/* 64 bytes, flags first: PhysMem.Page. */
struct page {
	unsigned long flags;
	unsigned long words[7];
};

/* PhysMem.MemSection: the encoded memmap pointer with its flag bits, and the usage block. */
struct mem_section {
	unsigned long section_mem_map;
	unsigned long *usage;
};

_Static_assert(sizeof(struct page) == 64, "struct page must match PhysMem.Page");
_Static_assert(sizeof(struct mem_section) == 16, "struct mem_section must match PhysMem.MemSection");

#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x) ((unsigned long)(x) << PAGE_SHIFT)

/* ---- the memory model ------------------------------------------------------------------------ */

#if defined(CONFIG_FLATMEM)

static struct page *mem_map;
static unsigned long max_mapnr;

static inline struct page *pfn_to_page(unsigned long pfn) { return mem_map + (pfn - ARCH_PFN_OFFSET); }
static inline unsigned long page_to_pfn(const struct page *page) { return (unsigned long)(page - mem_map) + ARCH_PFN_OFFSET; }
static inline int pfn_valid(unsigned long pfn) { return pfn - ARCH_PFN_OFFSET < max_mapnr; }

#elif defined(CONFIG_DISCONTIGMEM)

/* The node spans (entry i is node i) and the memory banks, in pfns, from the header. */
struct pfn_span {
	unsigned long start, end;
};

static const struct pfn_span node_spans[NR_NODE_SPANS] = NODE_SPANS;
static const struct pfn_span memory_banks[NR_MEMORY_BANKS] = MEMORY_BANKS;

/* The part of pg_data_t the model uses: PhysMem.NodeData. */
struct pglist_data {
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
	struct page *node_mem_map;
};

_Static_assert(sizeof(struct pglist_data) == 32, "struct pglist_data must match PhysMem.NodeData");

static struct pglist_data node_data[NR_NODE_SPANS];
#define NODE_DATA(nid) (&node_data[nid])

static inline int page_to_nid(const struct page *page);

/*
 * A walk over the constant node table, as the kernel's DISCONTIGMEM lookups walked theirs. Unrolled
 * on purpose: gcc -O2 keeps the loop and reads the table from memory, while unrolled every bound
 * is an immediate, as the macros make them for the rest of the layout.
 */
static inline int arch_pfn_to_nid(unsigned long pfn)
{
#pragma GCC unroll 64
	for (int nid = 0; nid < NR_NODE_SPANS; nid++)
		if (pfn - node_spans[nid].start < node_spans[nid].end - node_spans[nid].start)
			return nid;
	return -1;
}

static inline int pfn_valid(unsigned long pfn)
{
#pragma GCC unroll 64
	for (int i = 0; i < NR_MEMORY_BANKS; i++)
		if (pfn - memory_banks[i].start < memory_banks[i].end - memory_banks[i].start)
			return 1;
	return 0;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	struct pglist_data *pgdat = NODE_DATA(arch_pfn_to_nid(pfn));
	return pgdat->node_mem_map + (pfn - pgdat->node_start_pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	struct pglist_data *pgdat = NODE_DATA(page_to_nid(page));
	return (unsigned long)(page - pgdat->node_mem_map) + pgdat->node_start_pfn;
}

#elif defined(CONFIG_SPARSEMEM)

#ifdef CONFIG_SPARSEMEM_EXTREME
static struct mem_section **mem_section;
#else
static struct mem_section *mem_section; /* [NR_MEM_SECTIONS] */
#endif

static inline struct mem_section *__nr_to_section(unsigned long nr)
{
#ifdef CONFIG_SPARSEMEM_EXTREME
	unsigned long root = nr / SECTIONS_PER_ROOT;
	if (root >= NR_SECTION_ROOTS || !mem_section[root])
		return NULL;
	return &mem_section[root][nr & SECTION_ROOT_MASK];
#else
	if (nr >= NR_MEM_SECTIONS)
		return NULL;
	return &mem_section[nr];
#endif
}

static inline unsigned long pfn_to_section_nr(unsigned long pfn) { return pfn >> PFN_SECTION_SHIFT; }
static inline unsigned long section_nr_to_pfn(unsigned long nr) { return nr << PFN_SECTION_SHIFT; }
static inline struct mem_section *__pfn_to_section(unsigned long pfn) { return __nr_to_section(pfn_to_section_nr(pfn)); }
static inline int valid_section(const struct mem_section *ms) { return ms && (ms->section_mem_map & SECTION_HAS_MEM_MAP); }
static inline int early_section(const struct mem_section *ms) { return ms && (ms->section_mem_map & SECTION_IS_EARLY); }

static inline int pfn_section_valid(const struct mem_section *ms, unsigned long pfn)
{
#ifdef CONFIG_SPARSEMEM_VMEMMAP
	unsigned long idx = (pfn & ~PAGE_SECTION_MASK) >> PFN_SUBSECTION_SHIFT;
	return ms->usage && ((ms->usage[idx / 64] >> (idx % 64)) & 1);
#else
	(void)ms;
	(void)pfn;
	return 1;
#endif
}

static inline int pfn_valid(unsigned long pfn)
{
	struct mem_section *ms;

	if (PHYS_PFN(PFN_PHYS(pfn)) != pfn)
		return 0;
	if (pfn_to_section_nr(pfn) >= NR_MEM_SECTIONS)
		return 0;
	ms = __pfn_to_section(pfn);
	if (!valid_section(ms))
		return 0;
	return early_section(ms) || pfn_section_valid(ms, pfn);
}

#ifdef CONFIG_SPARSEMEM_VMEMMAP

static struct page *vmemmap;

static inline struct page *pfn_to_page(unsigned long pfn) { return vmemmap + pfn; }
static inline unsigned long page_to_pfn(const struct page *page) { return (unsigned long)(page - vmemmap); }

#else /* classic SPARSEMEM: the section number lives in page->flags */

static inline struct page *__section_mem_map_addr(const struct mem_section *ms)
{
	return (struct page *)(ms->section_mem_map & SECTION_MAP_MASK);
}

static inline unsigned long page_to_section(const struct page *page) { return (page->flags >> SECTIONS_PGSHIFT) & SECTIONS_MASK; }

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return __section_mem_map_addr(__pfn_to_section(pfn)) + pfn;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - __section_mem_map_addr(__nr_to_section(page_to_section(page))));
}

#endif
#else
#error "The header names no memory model."
#endif

/* ---- page->flags ------------------------------------------------------------------------------ */

static inline int page_zonenum(const struct page *page) { return (page->flags >> ZONES_PGSHIFT) & ZONES_MASK; }
static inline int page_to_nid(const struct page *page) { return (page->flags >> NODES_PGSHIFT) & NODES_MASK; }

static inline void set_page_links(struct page *page, int zone, int nid, unsigned long pfn)
{
	unsigned long flags = page->flags;

	flags &= ~(ZONES_MASK << ZONES_PGSHIFT);
	flags |= ((unsigned long)zone & ZONES_MASK) << ZONES_PGSHIFT;
	flags &= ~(NODES_MASK << NODES_PGSHIFT);
	flags |= ((unsigned long)nid & NODES_MASK) << NODES_PGSHIFT;
#if defined(CONFIG_SPARSEMEM) && !defined(CONFIG_SPARSEMEM_VMEMMAP)
	flags &= ~(SECTIONS_MASK << SECTIONS_PGSHIFT);
	flags |= ((pfn >> PFN_SECTION_SHIFT) & SECTIONS_MASK) << SECTIONS_PGSHIFT;
#else
	(void)pfn;
#endif
	page->flags = flags;
}

/* ---- the timed loops (the same as the C# Kernels class) ------------------------------------ */

struct link_input {
	struct page *page;
	unsigned long pfn;
	int zone;
	int nid;
};

#define LOOP __attribute__((noinline, noipa))

LOOP static unsigned long loop_pfn_to_page(const void *data, size_t n)
{
	const unsigned long *pfns = data;
	unsigned long fold = 0;
	for (size_t i = 0; i < n; i++)
		fold ^= (unsigned long)pfn_to_page(pfns[i]); /* xor, as the C# loop (see Kernels.PfnToPage) */
	return fold;
}

LOOP static unsigned long loop_page_to_pfn(const void *data, size_t n)
{
	struct page *const *pages = data;
	unsigned long sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += page_to_pfn(pages[i]);
	return sum;
}

LOOP static unsigned long loop_pfn_valid(const void *data, size_t n)
{
	const unsigned long *pfns = data;
	unsigned long count = 0;
	for (size_t i = 0; i < n; i++)
		count += pfn_valid(pfns[i]) ? 1 : 0;
	return count;
}

LOOP static unsigned long loop_page_to_nid(const void *data, size_t n)
{
	struct page *const *pages = data;
	unsigned long sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (unsigned long)page_to_nid(pages[i]);
	return sum;
}

LOOP static unsigned long loop_page_zonenum(const void *data, size_t n)
{
	struct page *const *pages = data;
	unsigned long sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (unsigned long)page_zonenum(pages[i]);
	return sum;
}

LOOP static unsigned long loop_set_page_links(const void *data, size_t n)
{
	const struct link_input *inputs = data;
	for (size_t i = 0; i < n; i++)
		set_page_links(inputs[i].page, inputs[i].zone, inputs[i].nid, inputs[i].pfn);
	return 0;
}

LOOP static unsigned long loop_round_trip(const void *data, size_t n)
{
	const unsigned long *pfns = data;
	unsigned long sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += page_to_pfn(pfn_to_page(pfns[i]));
	return sum;
}

LOOP static unsigned long loop_checked_round_trip(const void *data, size_t n)
{
	const unsigned long *pfns = data;
	unsigned long sum = 0;
	for (size_t i = 0; i < n; i++)
		if (pfn_valid(pfns[i]))
			sum += page_to_pfn(pfn_to_page(pfns[i]));
	return sum;
}

/* ---- building the memory as the PhysMem runtime does -------------------------------------- */

#ifdef PHYSMEM_BENCH_LIBRARY
static jmp_buf *fail_jump;
#endif
static char error_text[512];

static void die(const char *what)
{
	snprintf(error_text, sizeof(error_text), "physmem_bench (%s): %s: %s", PHYSMEM_MODEL, what, errno ? strerror(errno) : "failed");
#ifdef PHYSMEM_BENCH_LIBRARY
	if (fail_jump)
		longjmp(*fail_jump, 1);
#endif
	fprintf(stderr, "%s\n", error_text);
	exit(1);
}

__attribute__((unused)) static void *reserve(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		die("reserving address space");
	return p;
}

__attribute__((unused)) static void commit(void *p, size_t bytes)
{
	if (mprotect(p, bytes, PROT_READ | PROT_WRITE) != 0)
		die("committing address space");
}

__attribute__((unused)) static void *zalloc(size_t bytes, size_t align)
{
	void *p = aligned_alloc(align, (bytes + align - 1) / align * align);
	if (!p)
		die("allocating");
	memset(p, 0, bytes);
	return p;
}

struct input {
	size_t n;
	unsigned long range_count, *ranges;  /* start, end, node */
	unsigned long present_count, *present;
	unsigned long max_mapnr;
	unsigned long run_count, *runs;      /* start, end, flags */
	unsigned long *random, *sequential, *mixed;
};

static unsigned long *read_words(FILE *f, size_t count)
{
	unsigned long *words = malloc(count ? count * sizeof(unsigned long) : 1);
	if (!words || fread(words, sizeof(unsigned long), count, f) != count)
		die("reading the .bin file");
	return words;
}

static unsigned long read_word(FILE *f)
{
	unsigned long *w = read_words(f, 1), v = *w;
	free(w);
	return v;
}

static void read_input(const char *path, struct input *in)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die(path);
	if (read_word(f) != 0x313048434E424D50UL)
		die("the .bin file has the wrong magic number");
	in->n = read_word(f);
	in->range_count = read_word(f);
	in->ranges = read_words(f, in->range_count * 3);
	in->present_count = read_word(f);
	in->present = read_words(f, in->present_count);
	in->max_mapnr = read_word(f);
	in->run_count = read_word(f);
	in->runs = read_words(f, in->run_count * 3);
	in->random = read_words(f, in->n);
	in->sequential = read_words(f, in->n);
	in->mixed = read_words(f, in->n);
	fclose(f);
}

static void build(const struct input *in)
{
#if defined(CONFIG_FLATMEM)
	size_t bytes = in->max_mapnr * sizeof(struct page);
	mem_map = reserve(bytes);
	commit(mem_map, bytes);
	max_mapnr = in->max_mapnr;
#elif defined(CONFIG_DISCONTIGMEM)
	/* One node_mem_map per node, covering its span (holes included). */
	for (int nid = 0; nid < NR_NODE_SPANS; nid++) {
		size_t bytes = (node_spans[nid].end - node_spans[nid].start) * sizeof(struct page);
		node_data[nid].node_start_pfn = node_spans[nid].start;
		node_data[nid].node_spanned_pages = node_spans[nid].end - node_spans[nid].start;
		node_data[nid].node_mem_map = reserve(bytes);
		commit(node_data[nid].node_mem_map, bytes);
	}
#else
#ifdef CONFIG_SPARSEMEM_EXTREME
	mem_section = zalloc(NR_SECTION_ROOTS * sizeof(struct mem_section *), 64);
#else
	mem_section = reserve(NR_MEM_SECTIONS * sizeof(struct mem_section));
	commit(mem_section, NR_MEM_SECTIONS * sizeof(struct mem_section));
#endif
#ifdef CONFIG_SPARSEMEM_VMEMMAP
	vmemmap = reserve((size_t)NR_MEM_SECTIONS * PAGES_PER_SECTION * sizeof(struct page));
	size_t usage_words = (SUBSECTIONS_PER_SECTION + 63) / 64;
#else
	size_t usage_words = 1;
#endif
	for (unsigned long i = 0; i < in->present_count; i++) {
		unsigned long nr = in->present[i];
		struct mem_section *ms;
		struct page *memmap;
#ifdef CONFIG_SPARSEMEM_EXTREME
		unsigned long root = nr / SECTIONS_PER_ROOT;
		if (!mem_section[root])
			mem_section[root] = zalloc(SECTIONS_PER_ROOT * sizeof(struct mem_section), 64);
		ms = &mem_section[root][nr & SECTION_ROOT_MASK];
#else
		ms = &mem_section[nr];
#endif
#ifdef CONFIG_SPARSEMEM_VMEMMAP
		memmap = vmemmap + section_nr_to_pfn(nr);
		commit(memmap, PAGES_PER_SECTION * sizeof(struct page));
		madvise(memmap, PAGES_PER_SECTION * sizeof(struct page), MADV_HUGEPAGE);
#else
		memmap = zalloc(PAGES_PER_SECTION * sizeof(struct page), 4096);
#endif
		/* sparse_encode_mem_map: biased by the section's first pfn. */
		ms->section_mem_map = ((unsigned long)memmap - section_nr_to_pfn(nr) * sizeof(struct page))
			| SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP | SECTION_IS_ONLINE | SECTION_IS_EARLY;
		ms->usage = zalloc(usage_words * sizeof(unsigned long), 64);
	}
#ifdef CONFIG_SPARSEMEM_VMEMMAP
	/* subsection_map_init over the memory ranges (never read: every section here is early). */
	for (unsigned long r = 0; r < in->range_count; r++)
		for (unsigned long pfn = in->ranges[3 * r]; pfn < in->ranges[3 * r + 1]; pfn += PAGES_PER_SUBSECTION) {
			struct mem_section *ms = __pfn_to_section(pfn);
			unsigned long idx = (pfn & ~PAGE_SECTION_MASK) >> PFN_SUBSECTION_SHIFT;
			ms->usage[idx / 64] |= 1UL << (idx % 64);
		}
#endif
#endif
	for (unsigned long r = 0; r < in->run_count; r++)
		for (unsigned long pfn = in->runs[3 * r]; pfn < in->runs[3 * r + 1]; pfn++)
			pfn_to_page(pfn)->flags = in->runs[3 * r + 2];
}

/* ---- checking and timing ---------------------------------------------------------------------- */

static int failures;

static void expect(FILE *expected, const char *op, const char *stream, unsigned long actual)
{
	char eop[64], estream[64];
	unsigned long value;

	if (fscanf(expected, "%63s %63s %lu", eop, estream, &value) != 3 || strcmp(eop, op) || strcmp(estream, stream))
		die("the .expected file does not match the program's list of checks");
	if (value != actual) {
		fprintf(stderr, "physmem_bench (%s): %s over the %s stream: C gives %lu, the C# generated model %lu\n",
			PHYSMEM_MODEL, op, stream, actual, value);
		failures++;
	}
}

/* The same checksums, in the same order, as StreamCheck.Compute in the C# harness. */
static void check(const struct input *in, const char *path)
{
	FILE *expected = fopen(path, "r");
	const unsigned long *streams[2] = { in->random, in->sequential };
	const char *names[2] = { "Random", "Sequential" };

	if (!expected)
		die(path);
	for (int s = 0; s < 2; s++) {
		unsigned long flags = 0, pfns = 0, valid = 0, nids = 0, zones = 0, links = 0;
		for (size_t i = 0; i < in->n; i++) {
			unsigned long pfn = streams[s][i];
			struct page *page = pfn_to_page(pfn);
			flags += page->flags;
			pfns += page_to_pfn(page);
			valid += pfn_valid(pfn) ? 1 : 0;
			nids += (unsigned long)page_to_nid(page);
			zones += (unsigned long)page_zonenum(page);
			set_page_links(page, page_zonenum(page), page_to_nid(page), pfn);
			links += page->flags;
		}
		expect(expected, "PfnToPage", names[s], flags);
		expect(expected, "PageToPfn", names[s], pfns);
		expect(expected, "PfnValid", names[s], valid);
		expect(expected, "PageToNid", names[s], nids);
		expect(expected, "PageZonenum", names[s], zones);
		expect(expected, "SetPageLinks", names[s], links);
		expect(expected, "RoundTrip", names[s], pfns);
	}
	expect(expected, "PfnValid", "Mixed", loop_pfn_valid(in->mixed, in->n));
	expect(expected, "RoundTrip", "Mixed", loop_checked_round_trip(in->mixed, in->n));
	fclose(expected);
	if (failures) {
		errno = 0;
		die("the checksums above differ from the C# generated model's");
	}
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct loop {
	const char *op;
	const char *stream;
	unsigned long (*run)(const void *data, size_t n);
	const void *data;
};

static volatile unsigned long sink;

#define SAMPLES 15
#define SAMPLE_NS 20e6 /* each sample runs the loop for at least 20 ms */

__attribute__((unused)) static void time_loop(const struct loop *l, size_t n)
{
	double samples[SAMPLES];
	unsigned long reps = 1;

	/* Warm up, and find how many passes make a sample of SAMPLE_NS. */
	for (;;) {
		double start = now_ns();
		for (unsigned long r = 0; r < reps; r++)
			sink += l->run(l->data, n);
		if (now_ns() - start >= SAMPLE_NS)
			break;
		reps *= 2;
	}
	for (int s = 0; s < SAMPLES; s++) {
		double start = now_ns();
		for (unsigned long r = 0; r < reps; r++)
			sink += l->run(l->data, n);
		samples[s] = (now_ns() - start) / ((double)reps * (double)n);
	}
	qsort(samples, SAMPLES, sizeof(double), by_value);
	printf("%s,%s,%s,%.4f,%.4f\n", PHYSMEM_MODEL, l->op, l->stream, samples[SAMPLES / 2], samples[0]);
	fflush(stdout);
}

static struct input in;
static struct page **random_pages, **sequential_pages;
static struct link_input *random_links, *sequential_links;
static struct loop loops[16];

/* Reads, builds and checks the model's memory, then the inputs of every loop. */
static void open_model(const char *bin, const char *expected)
{
	read_input(bin, &in);
	build(&in);
	check(&in, expected);

	random_pages = malloc(in.n * sizeof(struct page *));
	sequential_pages = malloc(in.n * sizeof(struct page *));
	random_links = malloc(in.n * sizeof(struct link_input));
	sequential_links = malloc(in.n * sizeof(struct link_input));
	if (!random_pages || !sequential_pages || !random_links || !sequential_links)
		die("allocating the page streams");
	for (size_t i = 0; i < in.n; i++) {
		random_pages[i] = pfn_to_page(in.random[i]);
		sequential_pages[i] = pfn_to_page(in.sequential[i]);
		random_links[i] = (struct link_input){ random_pages[i], in.random[i], page_zonenum(random_pages[i]), page_to_nid(random_pages[i]) };
		sequential_links[i] = (struct link_input){ sequential_pages[i], in.sequential[i], page_zonenum(sequential_pages[i]), page_to_nid(sequential_pages[i]) };
	}

	const struct loop all[] = {
		{ "PfnToPage", "Random", loop_pfn_to_page, in.random },
		{ "PfnToPage", "Sequential", loop_pfn_to_page, in.sequential },
		{ "PageToPfn", "Random", loop_page_to_pfn, random_pages },
		{ "PageToPfn", "Sequential", loop_page_to_pfn, sequential_pages },
		{ "PfnValid", "Random", loop_pfn_valid, in.random },
		{ "PfnValid", "Sequential", loop_pfn_valid, in.sequential },
		{ "PfnValid", "Mixed", loop_pfn_valid, in.mixed },
		{ "PageToNid", "Random", loop_page_to_nid, random_pages },
		{ "PageToNid", "Sequential", loop_page_to_nid, sequential_pages },
		{ "PageZonenum", "Random", loop_page_zonenum, random_pages },
		{ "PageZonenum", "Sequential", loop_page_zonenum, sequential_pages },
		{ "SetPageLinks", "Random", loop_set_page_links, random_links },
		{ "SetPageLinks", "Sequential", loop_set_page_links, sequential_links },
		{ "RoundTrip", "Random", loop_round_trip, in.random },
		{ "RoundTrip", "Sequential", loop_round_trip, in.sequential },
		{ "RoundTrip", "Mixed", loop_checked_round_trip, in.mixed },
	};
	_Static_assert(sizeof(all) == sizeof(loops), "one entry of loops per loop");
	memcpy(loops, all, sizeof(all));
}

#ifdef PHYSMEM_BENCH_LIBRARY
/*
 * The same loops as a shared library, so that a C# process can run them pass by pass beside its
 * own (the 'paired' command): gcc -O2 -shared -fPIC -DPHYSMEM_BENCH_LIBRARY -include MODEL.h.
 * A failure while opening returns -1 with the reason in physmem_bench_error() instead of exiting.
 */
__attribute__((visibility("default"))) const char *physmem_bench_error(void)
{
	return error_text;
}

__attribute__((visibility("default"))) int physmem_bench_open(const char *bin, const char *expected)
{
	jmp_buf failed;
	if (setjmp(failed))
		return -1;
	fail_jump = &failed;
	open_model(bin, expected);
	fail_jump = NULL;
	return 0;
}

/* PHYSMEM_MODEL, to check that the library is the model's. */
__attribute__((visibility("default"))) const char *physmem_bench_model(void)
{
	return PHYSMEM_MODEL;
}

/* Runs one loop 'passes' times over its stream; nanoseconds per operation, or -1 for no such loop. */
__attribute__((visibility("default"))) double physmem_bench_run(const char *op, const char *stream, unsigned long passes)
{
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		if (strcmp(op, loops[i].op) || strcmp(stream, loops[i].stream))
			continue;
		double start = now_ns();
		for (unsigned long r = 0; r < passes; r++)
			sink += loops[i].run(loops[i].data, in.n);
		return (now_ns() - start) / ((double)passes * (double)in.n);
	}
	return -1;
}
#else
int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s MODEL.bin MODEL.expected\n", argv[0]);
		return 2;
	}
	open_model(argv[1], argv[2]);
	const char *only = getenv("PHYSMEM_BENCH_ONLY"); /* e.g. "PfnToPage" */
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
		if (!only || strcmp(only, loops[i].op) == 0)
			time_loop(&loops[i], in.n);
	return 0;
}
#endif
