#!/bin/bash
# ab.sh <rounds> <warm> <timed> <config> <threads> <jarA> <jarB> ... : alternated processes, step lines appended to ab/<config>_<T>_<jar>.log
rounds=$1; warm=$2; timed=$3; cfg=$4; t=$5; shift 5
for r in $(seq 1 $rounds); do
  for j in "$@"; do
    echo "# round $r load $(cut -d' ' -f1 /proc/loadavg)" >> /tmp/vit3/ab/${cfg}_${t}_${j}.log
    java --add-modules jdk.incubator.vector -Xmx8g -cp /tmp/vit3/$j.jar org.lfssd.bench.ImportanceProfile $cfg $t lfssd $warm $timed 2>/dev/null | grep "step\|median" >> /tmp/vit3/ab/${cfg}_${t}_${j}.log
  done
done
