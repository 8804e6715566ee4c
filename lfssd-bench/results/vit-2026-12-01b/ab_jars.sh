#!/bin/bash
# usage: ab.sh config threads rounds warm timed jarA jarB
cfg=$1; th=$2; rounds=$3; warm=$4; timed=$5; A=$6; B=$7
for r in $(seq 1 $rounds); do
  for j in $A $B; do
    out=$(java --add-modules jdk.incubator.vector -Xmx8g -cp /tmp/vp2/$j.jar org.lfssd.bench.ImportanceProfile $cfg $th lfssd $warm $timed 2>/dev/null)
    cpu=$(echo "$out" | grep -o "process CPU [0-9.]*" | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
    med=$(echo "$out" | grep median | awk '{print $2}')
    echo "$cfg t=$th round=$r jar=$j wall_median_img_s=$med cpu_median_s_per_step=$cpu load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
