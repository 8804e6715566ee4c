#!/bin/bash
# usage: ab3.sh config threads rounds warm timed jar...   (alternates the jars as separate processes)
cfg=$1; t=$2; rounds=$3; warm=$4; timed=$5; shift 5
for r in $(seq $rounds); do
  for j in "$@"; do
    out=$(java --add-modules jdk.incubator.vector -Xmx8g -cp $j org.lfssd.bench.ImportanceProfile $cfg $t lfssd $warm $timed 2>&1)
    cpu=$(echo "$out" | grep -o 'process CPU [0-9.]*' | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    wall=$(echo "$out" | grep -o 'median [0-9.]* img/s' | awk '{print $2}')
    sum=$(echo "$out" | grep -o 'checksum [0-9.e-]*')
    steps=$(echo "$out" | grep -o 'step [0-9]*: [0-9.]* s' | awk '{printf "%s ", $3}')
    echo "r$r $cfg t=$t $(basename $j): cpu/step $cpu  img/s $wall  $sum  load $(cut -d' ' -f1 /proc/loadavg)  walls $steps"
  done
done
