#!/bin/bash
# alternate base/new ImportanceProfile runs; $1 threads, $2 rounds, $3 new jar, $4 out
T=$1; R=$2; NEW=$3; OUT=$4
for r in $(seq 1 $R); do
  for v in base new; do
    J=/tmp/wdw-base.jar; [ $v = new ] && J=$NEW
    echo "== $v round $r threads $T $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT
    java --add-modules jdk.incubator.vector -Xmx8g -cp $J org.lfssd.bench.ImportanceProfile resnet18_b64 $T lfssd 3 5 2>/dev/null | grep -E "step|median" >> $OUT
  done
done
