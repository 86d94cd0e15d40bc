#!/usr/bin/env bash
# Builds the native C baselines and runs them beside the C# benchmarks, interleaved, then prints the
# tables and ratios of RESULTS.md.
#
#   benchmarks/native/run.sh                 # everything: 3 interleaved runs of native C + C# matrix, start-up, walk, report, chart
#   benchmarks/native/run.sh --rounds 1      # one run (about half an hour less)
#   benchmarks/native/run.sh --skip-dotnet   # native C, report and chart only, over the last C# results
#   benchmarks/native/run.sh --only-startup  # the start-up and walk tables only (C and C# interleaved inside)
#   benchmarks/native/run.sh --filter '*Random_Generated*' --skip-startup
#                                            # a part of the C# matrix (a BenchmarkDotNet filter within
#                                            # PhysMem.Benchmarks.Conversions), no start-up or walk
#   benchmarks/native/run.sh -- --job short  # extra arguments after -- go to BenchmarkDotNet
#
# Steps: build the harness; 'native-export' writes each model's layout as a C header, its memory
# (ranges, present sections, every page's flags) and the three pfn streams, and the checksums the
# generated model computes; gcc -O2 compiles physmem_bench.c once per model with its header, and
# physmem_startup.c once. Then, for each run in turn: every model's C program (which rebuilds the
# memory, checks the checksums and times the same loops), then the C# matrix in BenchmarkDotNet
# (both jobs: tiered compilation off, and the runtime's defaults), so that C and C# of one run see
# the same machine. 'ratios' reports every ratio as the median of the runs with its spread
# (min-max), and a target as met only when every run meets it; 'paired' runs each generated loop
# against the same C loop (physmem_bench.c built as a shared library) pass by pass in one process,
# as many runs per job; 'report' prints the last run's
# tables and draws benchmarks/results/conversions.svg. 'startup' interleaves the C start-up program
# with the C# models, three rounds; 'walk' runs the same file's C loop, built as a shared library, pass
# by pass with the C# walk in one process, three rounds. Outputs stay in benchmarks/native/out/
# (not committed).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/out"
project="$root/benchmarks/PhysMem.Benchmarks"
models=(Flat ClassicStatic ClassicExtreme Vmemmap DiscontigTwoNode DiscontigEightNode)

skip_dotnet=0
only_startup=0
skip_startup=0
filter='*'
rounds=3
bdn_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-dotnet) skip_dotnet=1 ;;
    --only-startup) only_startup=1 ;;
    --skip-startup) skip_startup=1 ;;
    --filter) shift; filter="$1" ;;
    --rounds) shift; rounds="$1" ;;
    --) shift; bdn_args=("$@"); break ;;
    *) echo "usage: $0 [--rounds N] [--skip-dotnet] [--only-startup] [--skip-startup] [--filter PATTERN] [-- BenchmarkDotNet arguments]" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$out"
cd "$root"
echo "== load before: $(uptime)"
dotnet build -c Release "$project" -v quiet -nologo
run() { dotnet run -c Release --no-build --project "$project" -- "$@"; }

echo "== gcc $(gcc -dumpfullversion) -O2"
gcc -O2 -std=gnu17 -Wall -Wextra -Werror "$here/physmem_startup.c" -o "$out/physmem-startup"
gcc -O2 -std=gnu17 -Wall -Wextra -Werror -shared -fPIC "$here/physmem_startup.c" -o "$out/libphysmem-startup.so"

if [ "$only_startup" -eq 0 ]; then
  run native-export "$out"
  for model in "${models[@]}"; do
    gcc -O2 -std=gnu17 -Wall -Wextra -Werror -include "$out/$model.h" "$here/physmem_bench.c" -o "$out/bench-$model"
    gcc -O2 -std=gnu17 -Wall -Wextra -Werror -shared -fPIC -DPHYSMEM_BENCH_LIBRARY -include "$out/$model.h" "$here/physmem_bench.c" -o "$out/libbench-$model.so"
  done

  round_args=()
  for r in $(seq 1 "$rounds"); do
    echo "== run $r of $rounds: native C, then C# ($(uptime))"
    : > "$out/native-$r.csv"
    for model in "${models[@]}"; do
      "$out/bench-$model" "$out/$model.bin" "$out/$model.expected" | tee -a "$out/native-$r.csv"
    done
    # A filtered run writes to folders of its own, emptied first: the report reads every result in a
    # folder, and the rows of a full run measured minutes or days earlier must not join this run's C.
    bdn="$out/bdn-$r"
    if [ "$filter" != '*' ]; then
      bdn="$out/bdn-filtered-$r"
      [ "$skip_dotnet" -eq 1 ] || rm -rf "$bdn"
    fi
    if [ "$skip_dotnet" -eq 0 ]; then
      run --filter "PhysMem.Benchmarks.Conversions.${filter}" --artifacts "$bdn" "${bdn_args[@]}"
    elif [ ! -d "$bdn/results" ]; then
      echo "run.sh: no C# results in $bdn/results to report (run once without --skip-dotnet)" >&2
      exit 1
    fi
    round_args+=(--round "$out/native-$r.csv" "$bdn/results")
  done

  echo "== load after: $(uptime)"
  # The two jobs of BenchmarkConfig, or whatever job was given after --.
  job_args=(--job Matrix)
  if printf '%s\n' "${bdn_args[@]}" | grep -q -- '^--job\|^-j$'; then
    run ratios "${round_args[@]}"
    job_args=()
  else
    run ratios "${round_args[@]}" --job Matrix
    run ratios "${round_args[@]}" --job Defaults
  fi
  # Generated against C pass by pass in one process: three runs (processes) per job.
  run paired --native "$out" --runs "$rounds"
  # The tables and the chart are of the whole matrix: a filtered run leaves them as they are.
  if [ "$filter" = '*' ]; then
    last="$rounds"
    run report --results "$out/bdn-$last/results" --native "$out/native-$last.csv" "${job_args[@]}" --svg "$root/benchmarks/results/conversions.svg"
    echo
    run report --results "$out/bdn-$last/results" --native "$out/native-$last.csv" "${job_args[@]}" --statistic median
  fi
fi

if [ "$skip_startup" -eq 0 ]; then
  echo "== start-up and walk ($(uptime))"
  run startup --native "$out/physmem-startup" --rounds "$rounds"
  run walk --native "$out/libphysmem-startup.so" --rounds "$rounds"
fi
