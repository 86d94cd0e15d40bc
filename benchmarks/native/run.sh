#!/usr/bin/env bash
# Builds the native C baseline and runs it beside the C# benchmarks, then prints the tables and
# ratios of RESULTS.md.
#
#   benchmarks/native/run.sh                 # everything: C# matrix (about 15 minutes), native C, report, chart
#   benchmarks/native/run.sh --skip-dotnet   # native C, report and chart only, over the last C# results
#   benchmarks/native/run.sh -- --job short  # extra arguments after -- go to BenchmarkDotNet
#
# Steps: build the harness; 'native-export' writes each model's layout as a C header, its memory
# (ranges, present sections, every page's flags) and the three pfn streams, and the checksums the
# generated model computes; gcc -O2 compiles physmem_bench.c once per model with its header; each
# program rebuilds the memory, checks the checksums and times the same loops; BenchmarkDotNet runs
# the C# variants; 'report' joins both and draws benchmarks/results/conversions.svg. Outputs stay in
# benchmarks/native/out/ (not committed) and BenchmarkDotNet.Artifacts/ at the repository root.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/out"
project="$root/benchmarks/PhysMem.Benchmarks"
models=(Flat ClassicStatic ClassicExtreme Vmemmap DiscontigTwoNode DiscontigEightNode)

skip_dotnet=0
bdn_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-dotnet) skip_dotnet=1 ;;
    --) shift; bdn_args=("$@"); break ;;
    *) echo "usage: $0 [--skip-dotnet] [-- BenchmarkDotNet arguments]" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$out"
cd "$root"
echo "== load before: $(uptime)"
dotnet build -c Release "$project" -v quiet -nologo
dotnet run -c Release --no-build --project "$project" -- native-export "$out"

echo "== gcc $(gcc -dumpfullversion) -O2"
for model in "${models[@]}"; do
  gcc -O2 -std=gnu17 -Wall -Wextra -Werror -include "$out/$model.h" "$here/physmem_bench.c" -o "$out/bench-$model"
done

: > "$out/native.csv"
for model in "${models[@]}"; do
  "$out/bench-$model" "$out/$model.bin" "$out/$model.expected" | tee -a "$out/native.csv"
done

if [ "$skip_dotnet" -eq 0 ]; then
  dotnet run -c Release --no-build --project "$project" -- --filter 'PhysMem.Benchmarks.Conversions.*' "${bdn_args[@]}"
fi

echo "== load after: $(uptime)"
dotnet run -c Release --no-build --project "$project" -- report --results "$root/BenchmarkDotNet.Artifacts/results" --native "$out/native.csv" --svg "$root/benchmarks/results/conversions.svg"
echo
dotnet run -c Release --no-build --project "$project" -- report --results "$root/BenchmarkDotNet.Artifacts/results" --native "$out/native.csv" --statistic median
