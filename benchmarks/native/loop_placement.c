/*
 * Where a loop's head falls in a 64-byte window, and what it costs. Two loops of the paired
 * benchmark, instruction for instruction as the runtime compiles them, each before and after a
 * change to the generated code, placed at every byte offset from a 64-byte boundary:
 *
 *   extreme    classic SPARSEMEM_EXTREME PfnToPage: before, the root from the section number and the
 *              entry by index (21 instructions); after, the root number and the entry's byte offset
 *              each from the pfn (20)
 *   discontig  DISCONTIGMEM PfnToPage through the chunk table: before, node = nodes + nid kept in a
 *              register (17 instructions); after, two loads with indexed addressing (16)
 *
 * The runtime aligns a method's loop heads to 32 bytes when it pads at all, so in one process a loop
 * starts at one offset of its window, decided by where the method lands.
 *
 *   gcc -O2 -o loop_placement loop_placement.c && ./loop_placement extreme && ./loop_placement discontig
 *
 * Prints ns per pfn by offset, before and after, the best of five interleaved passes: a virtual
 * machine's slow phases (every loop 1.2-1.3 ns at once for a while) then fall on all offsets alike.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { uint64_t map, usage; } mem_section;
typedef struct { uint64_t start_pfn, spanned, present; char *mem_map; } node_data;

static mem_section *roots[2048];
static node_data nodes_and_sentinel[9];
static node_data *nodes = nodes_and_sentinel + 1;
static int8_t node_of_chunk[20];
static uint64_t pfns[4096];

#define EXTREME_BEFORE \
    "1:\n\tmov (%%rdi),%%rsi\n\tmov %%rsi,%%r8\n\tshr $15,%%r8\n\tmov %%rax,%%r9\n\t" \
    "cmp $0x80000,%%r8\n\tjae 9f\n\tmov %%r8,%%r10\n\tshr $8,%%r10\n\tmov (%%r9,%%r10,8),%%r9\n\t" \
    "test %%r9,%%r9\n\tje 9f\n\tmovzbq %%r8b,%%r8\n\tshl $4,%%r8\n\tmov (%%r9,%%r8),%%r8\n\t" \
    "and $-16,%%r8\n\tshl $6,%%rsi\n\tadd %%r8,%%rsi\n\txor %%rsi,%%rcx\n\tadd $8,%%rdi\n\tdec %%edx\n\tjne 1b\n\tjmp 8f\n"
#define EXTREME_AFTER \
    "1:\n\tmov (%%rdi),%%rsi\n\tmov %%rsi,%%r8\n\tshr $23,%%r8\n\tmov %%rax,%%r9\n\t" \
    "cmp $0x800,%%r8\n\tjae 9f\n\tmov (%%r9,%%r8,8),%%r8\n\ttest %%r8,%%r8\n\tje 9f\n\t" \
    "mov %%rsi,%%r9\n\tshr $11,%%r9\n\tand $0xff0,%%r9\n\tmov (%%r8,%%r9),%%r8\n\t" \
    "and $-16,%%r8\n\tshl $6,%%rsi\n\tadd %%r8,%%rsi\n\txor %%rsi,%%rcx\n\tadd $8,%%rdi\n\tdec %%edx\n\tjne 1b\n\tjmp 8f\n"
#define DISCONTIG_BEFORE \
    "1:\n\tmov (%%rdi),%%r8\n\tmov %%rax,%%r9\n\tmov %%r8,%%r10\n\tshr $18,%%r10\n\tcmp $19,%%r10\n\tja 7f\n" \
    "2:\n\tmovsbq (%%rsi,%%r10),%%r10\n\tshl $5,%%r10\n\tadd %%r10,%%r9\n\tmov 0x18(%%r9),%%r10\n\tsub (%%r9),%%r8\n\t" \
    "shl $6,%%r8\n\tadd %%r10,%%r8\n\txor %%r8,%%rcx\n\tadd $8,%%rdi\n\tdec %%edx\n\tjne 1b\n\tjmp 8f\n7:\n\tmov $19,%%r10d\n\tjmp 2b\n"
#define DISCONTIG_AFTER \
    "1:\n\tmov (%%rdi),%%r8\n\tmov %%rax,%%r9\n\tmov %%r8,%%r10\n\tshr $18,%%r10\n\tcmp $19,%%r10\n\tja 7f\n" \
    "2:\n\tmovsbq (%%rsi,%%r10),%%r10\n\tshl $5,%%r10\n\tmov 0x18(%%r9,%%r10),%%r11\n\tsub (%%r9,%%r10),%%r8\n\t" \
    "shl $6,%%r8\n\tadd %%r11,%%r8\n\txor %%r8,%%rcx\n\tadd $8,%%rdi\n\tdec %%edx\n\tjne 1b\n\tjmp 8f\n7:\n\tmov $19,%%r10d\n\tjmp 2b\n"

/* rax: the table (roots or nodes), rsi: the chunk table, rdi: the pfns, edx: the count, rcx: the xor of the pages. */
#define LOOP(name, pad, table, body) \
    static uint64_t name(void) \
    { \
        uint64_t acc; \
        __asm__ volatile("xor %%ecx,%%ecx\n\tmov %1,%%rax\n\tmov %2,%%rdi\n\tmov %3,%%rsi\n\tmov $4096,%%edx\n\tjmp 1f\n\t" \
                         ".p2align 6\n\t.fill " #pad ", 1, 0x90\n\t" body "9:\n\tud2\n8:\n\tmov %%rcx,%0\n\t" \
                         : "=r"(acc) : "r"(table), "r"(pfns), "r"(node_of_chunk) \
                         : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory", "cc"); \
        return acc; \
    }
#define L(s, t, b, hi, lo) LOOP(s##_##hi##_##lo, hi + lo, t, b)
#define O16(s, t, b, hi) L(s, t, b, hi, 0) L(s, t, b, hi, 1) L(s, t, b, hi, 2) L(s, t, b, hi, 3) L(s, t, b, hi, 4) L(s, t, b, hi, 5) \
    L(s, t, b, hi, 6) L(s, t, b, hi, 7) L(s, t, b, hi, 8) L(s, t, b, hi, 9) L(s, t, b, hi, 10) L(s, t, b, hi, 11) L(s, t, b, hi, 12) \
    L(s, t, b, hi, 13) L(s, t, b, hi, 14) L(s, t, b, hi, 15)
#define O64(s, t, b) O16(s, t, b, 0) O16(s, t, b, 16) O16(s, t, b, 32) O16(s, t, b, 48)
O64(extreme_before, roots, EXTREME_BEFORE)
O64(extreme_after, roots, EXTREME_AFTER)
O64(discontig_before, nodes, DISCONTIG_BEFORE)
O64(discontig_after, nodes, DISCONTIG_AFTER)

#define P(s, hi, lo) s##_##hi##_##lo,
#define P16(s, hi) P(s, hi, 0) P(s, hi, 1) P(s, hi, 2) P(s, hi, 3) P(s, hi, 4) P(s, hi, 5) P(s, hi, 6) P(s, hi, 7) \
    P(s, hi, 8) P(s, hi, 9) P(s, hi, 10) P(s, hi, 11) P(s, hi, 12) P(s, hi, 13) P(s, hi, 14) P(s, hi, 15)
#define P64(s) { P16(s, 0) P16(s, 16) P16(s, 32) P16(s, 48) }
typedef uint64_t (*loop_fn)(void);
static loop_fn extreme[2][64] = { P64(extreme_before), P64(extreme_after) };
static loop_fn discontig[2][64] = { P64(discontig_before), P64(discontig_after) };

static double ns_per_pfn(loop_fn loop)
{
    uint64_t sink = 0;
    for (int i = 0; i < 500; i++) sink ^= loop();
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 5000; i++) sink ^= loop();
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (sink == 42) puts("");
    return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (5000.0 * 4096);
}

int main(int argc, char **argv)
{
    int use_discontig = argc > 1 && strcmp(argv[1], "discontig") == 0;
    if (argc < 2 || (!use_discontig && strcmp(argv[1], "extreme") != 0))
    {
        fprintf(stderr, "usage: loop_placement extreme|discontig\n");
        return 2;
    }

    static char memmap[64];
    for (int r = 0; r < 8; r++)
    {
        roots[r] = calloc(256, sizeof(mem_section));
        for (int s = 0; s < 256; s++)
            roots[r][s].map = ((uint64_t)memmap - ((uint64_t)(r * 256 + s) << 15) * 64) & ~15ULL;
    }
    for (int n = 0; n < 8; n++)
    {
        nodes[n].start_pfn = (uint64_t)n << 21;
        nodes[n].mem_map = memmap;
    }
    for (int c = 0; c < 19; c++) node_of_chunk[c] = (int8_t)(c / 2 < 8 ? c / 2 : 7);
    node_of_chunk[19] = -1;
    for (int i = 0; i < 4096; i++) pfns[i] = (1ULL << 20) + i * (use_discontig ? 1ULL : 37ULL);

    loop_fn (*loops)[64] = use_discontig ? discontig : extreme;
    double best[2][64];
    for (int k = 0; k < 64; k++) best[0][k] = best[1][k] = 1e9;
    for (int pass = 0; pass < 5; pass++)
        for (int k = 0; k < 64; k++)
            for (int v = 0; v < 2; v++)
            {
                double ns = ns_per_pfn(loops[v][k]);
                if (ns < best[v][k]) best[v][k] = ns;
            }

    printf("%s: head offset in its 64-byte window, ns per pfn before, after\n", argv[1]);
    for (int k = 0; k < 64; k++) printf("%2d %.3f %.3f\n", k, best[0][k], best[1][k]);
    return 0;
}
