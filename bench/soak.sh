#!/usr/bin/env bash
# Soak benchmark (run on demand, not in CI): a long run of a tiny model with the realistic callback set, sampling the
# process's resident memory, to show it stays flat. Usage: bash bench/soak.sh [EPOCHS]   (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-300}
work=$(mktemp -d)
dotnet build src/Trainer.Cli -c Release -v quiet -nologo >/dev/null
trainer="dotnet src/Trainer.Cli/bin/Release/net10.0/trainer.dll"

$trainer run recipes/digits-checkpoints.json --run-dir "$work/run" --Training:Epochs="$epochs" \
  --Model:Hidden:0=32 --Model:Hidden:1=16 --Callbacks:2:Options:Patience=100000 --Serilog:MinimumLevel=Warning \
  > "$work/out.log" 2>&1 &
pid=$!
: > "$work/rss.tsv"
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  rows=$( [ -f "$work/run/metrics.csv" ] && wc -l < "$work/run/metrics.csv" || echo 1)
  [ -n "$rss" ] && printf '%s\t%s\n' "$((rows - 1))" "$rss" >> "$work/rss.tsv"
  sleep 0.2
done
wait "$pid" || true

# Warm-up: the first 10% of the epochs (at least 10). Growth: the last sample against the median after warm-up.
python3 - "$epochs" "$work/rss.tsv" <<'PY'
import statistics, sys
epochs, path = int(sys.argv[1]), sys.argv[2]
rows = [tuple(map(int, line.split())) for line in open(path) if line.strip()]
warm = max(10, epochs // 10)
after = [rss for epoch, rss in rows if epoch >= warm]
if not after:
    sys.exit("no samples after warm-up")
median, last, peak = statistics.median(after), after[-1], max(rss for _, rss in rows)
print(f"epochs {epochs}, {len(after)} samples after warm-up (epoch {warm}+)")
print(f"RSS after warm-up (median) {median / 1024:.1f} MB, at the end {last / 1024:.1f} MB, peak {peak / 1024:.1f} MB, "
      f"growth {(last - median) * 100 / median:+.2f}%")
PY
tail -1 "$work/out.log" || true
echo "samples: $work/rss.tsv"
