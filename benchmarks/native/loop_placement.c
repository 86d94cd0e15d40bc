/*
 * Where a loop's head falls in a 64-byte window, and what it costs: the classic SPARSEMEM_EXTREME
 * PfnToPage loop of the paired benchmark, as the runtime compiles it, placed at every 4-byte offset
 * from a 64-byte boundary. The runtime aligns a method's loop heads to 32 bytes, so in one process a
 * loop starts at offset 0 or 32 of a window, whichever the method's address gives it.
 *
 *   gcc -O2 -o loop_placement loop_placement.c && ./loop_placement
 *
 * Prints ns per pfn for each shape and offset, the best of fifteen interleaved passes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct { uint64_t map, usage; } mem_section;
static mem_section *roots[2048];
static uint64_t pfns[4096];

/* The loop before (21 instructions): the root from the section number, the entry by index. */
#define BEFORE \
    "1:\n\tmov (%%rdi),%%rsi\n\tmov %%rsi,%%r8\n\tshr $15,%%r8\n\tmov %%rax,%%r9\n\t" \
    "cmp $0x80000,%%r8\n\tjae 9f\n\tmov %%r8,%%r10\n\tshr $8,%%r10\n\tmov (%%r9,%%r10,8),%%r9\n\t" \
    "test %%r9,%%r9\n\tje 9f\n\tmovzbq %%r8b,%%r8\n\tshl $4,%%r8\n\tmov (%%r9,%%r8),%%r8\n\t" \
    "and $-16,%%r8\n\tshl $6,%%rsi\n\tadd %%r8,%%rsi\n\txor %%rsi,%%rcx\n\tadd $8,%%rdi\n\tdec %%edx\n\tjne 1b\n\t"
/* The loop after (20): the root number and the entry's byte offset, each from the pfn. */
#define AFTER \
    "1:\n\tmov (%%rdi),%%rsi\n\tmov %%rsi,%%r8\n\tshr $23,%%r8\n\tmov %%rax,%%r9\n\t" \
    "cmp $0x800,%%r8\n\tjae 9f\n\tmov (%%r9,%%r8,8),%%r8\n\ttest %%r8,%%r8\n\tje 9f\n\t" \
    "mov %%rsi,%%r9\n\tshr $11,%%r9\n\tand $0xff0,%%r9\n\tmov (%%r8,%%r9),%%r8\n\t" \
    "and $-16,%%r8\n\tshl $6,%%rsi\n\tadd %%r8,%%rsi\n\txor %%rsi,%%rcx\n\tadd $8,%%rdi\n\tdec %%edx\n\tjne 1b\n\t"

#define LOOP(name, pad, body) \
    static uint64_t name(void) \
    { \
        uint64_t acc; \
        __asm__ volatile("xor %%ecx,%%ecx\n\tmov %1,%%rax\n\tmov %2,%%rdi\n\tmov $4096,%%edx\n\tjmp 1f\n\t" \
                         ".p2align 6\n\t.fill " #pad ", 1, 0x90\n\t" body \
                         "jmp 8f\n9:\n\tud2\n8:\n\tmov %%rcx,%0\n\t" \
                         : "=r"(acc) : "r"(roots), "r"(pfns) \
                         : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "memory", "cc"); \
        return acc; \
    }
#define OFFSETS(shape, body) \
    LOOP(shape##_0, 0, body) LOOP(shape##_4, 4, body) LOOP(shape##_8, 8, body) LOOP(shape##_12, 12, body) \
    LOOP(shape##_16, 16, body) LOOP(shape##_20, 20, body) LOOP(shape##_24, 24, body) LOOP(shape##_28, 28, body) \
    LOOP(shape##_32, 32, body) LOOP(shape##_36, 36, body) LOOP(shape##_40, 40, body) LOOP(shape##_44, 44, body) \
    LOOP(shape##_48, 48, body) LOOP(shape##_52, 52, body) LOOP(shape##_56, 56, body) LOOP(shape##_60, 60, body)
OFFSETS(before, BEFORE)
OFFSETS(after, AFTER)
#undef LOOP

/* ns per pfn of one pass of 10,000 calls. */
static double ns_per_pfn(uint64_t (*loop)(void))
{
    uint64_t sink = 0;
    for (int i = 0; i < 1000; i++) sink ^= loop();
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 10000; i++) sink ^= loop();
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (sink == 42) puts("");
    return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (10000.0 * 4096);
}

int main(void)
{
    static char memmap[64];
    for (int r = 0; r < 8; r++)
    {
        roots[r] = calloc(256, sizeof(mem_section));
        for (int s = 0; s < 256; s++)
            roots[r][s].map = ((uint64_t)memmap - ((uint64_t)(r * 256 + s) << 15) * 64) & ~15ULL;
    }
    for (int i = 0; i < 4096; i++) pfns[i] = (1ULL << 20) + i * 37ULL;

    uint64_t (*before[])(void) = { before_0, before_4, before_8, before_12, before_16, before_20, before_24, before_28,
                                   before_32, before_36, before_40, before_44, before_48, before_52, before_56, before_60 };
    uint64_t (*after[])(void) = { after_0, after_4, after_8, after_12, after_16, after_20, after_24, after_28,
                                  after_32, after_36, after_40, after_44, after_48, after_52, after_56, after_60 };
    /* Fifteen passes over every loop, interleaved, and the best of each: a virtual machine's slow phases
       (every loop 1.2-1.3 ns at once for a while) then fall on all offsets alike and drop out. */
    double best[2][16];
    for (int k = 0; k < 16; k++) best[0][k] = best[1][k] = 1e9;
    for (int pass = 0; pass < 15; pass++)
        for (int k = 0; k < 16; k++)
        {
            double b = ns_per_pfn(before[k]), a = ns_per_pfn(after[k]);
            if (b < best[0][k]) best[0][k] = b;
            if (a < best[1][k]) best[1][k] = a;
        }
    printf("head offset in its 64-byte window | before: 21 instructions, 72 bytes | after: 20 instructions, 71 bytes\n");
    for (int k = 0; k < 16; k++)
        printf("%2d | %.3f ns | %.3f ns\n", k * 4, best[0][k], best[1][k]);
    return 0;
}
