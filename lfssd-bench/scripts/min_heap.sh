#!/bin/bash
# The smallest -Xmx (MiB, 8 MiB resolution) with which one warm-up and one timed LFSSD importance step of
# <config> succeed under the serial collector: the step's peak live set (retained model and accumulators
# plus the activations and buffers alive at the worst moment), without the uncollected garbage that a
# large heap's pool peaks include. Load-independent, so it can be compared across time windows.
#
# usage: lfssd-bench/scripts/min_heap.sh <benchmarks.jar> <config> [lowMiB] [highMiB] [threads]
set -u
jar=$1; config=$2; lo=${3:-64}; hi=${4:-4096}; threads=${5:-1}
ok() {
  timeout 900 java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmx"$1"m -cp "$jar" \
    org.lfssd.bench.ImportanceProfile "$config" "$threads" lfssd 1 1 >/dev/null 2>&1
}
if ! ok "$hi"; then
  echo "$config: fails even at -Xmx${hi}m" >&2
  exit 1
fi
while [ $((hi - lo)) -gt 8 ]; do
  mid=$(((lo + hi) / 2))
  if ok "$mid"; then hi=$mid; else lo=$mid; fi
done
echo "$config threads=$threads: runs at -Xmx${hi}m, fails at -Xmx${lo}m"
