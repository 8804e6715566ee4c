#!/bin/bash
# usage: abpass.sh rounds warm timed cfgs threads jarA jarB  -> appends to abpass.log lines: cfg T jar step cpu wall
rounds=$1; warm=$2; timed=$3; cfgs=$4; ths=$5; A=$6; B=$7
for r in $(seq 1 $rounds); do
 for cfg in $cfgs; do for t in $ths; do
  if (( r % 2 )); then order="$A $B"; else order="$B $A"; fi
  for jar in $order; do
    tag=$(basename $(dirname $jar))
    load=$(cut -d' ' -f1 /proc/loadavg)
    java --add-modules jdk.incubator.vector -Xmx8g -cp $jar org.lfssd.bench.ImportanceProfile $cfg $t lfssd $warm $timed 2>/dev/null | \
      awk -v cfg=$cfg -v t=$t -v tag=$tag -v r=$r -v load=$load '/^step/ {gsub(",","",$3); print cfg, "T"t, tag, "r"r, "wall", $3, "cpu", $(NF-1), "load", load} /checksum/ {print cfg, "T"t, tag, "r"r, "checksum", $NF}'
  done
 done; done
done
