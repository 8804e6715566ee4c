#!/bin/bash
# ab.sh cfg threads rounds warm timed jarA jarB [extra java flags]
cfg=$1; t=$2; r=$3; w=$4; n=$5; A=$6; B=$7; shift 7
for i in $(seq $r); do
  for j in $A $B; do
    out=$(java --add-modules jdk.incubator.vector -Xmx8g "$@" -cp $j org.lfssd.bench.ImportanceProfile $cfg $t lfssd $w $n 2>/dev/null)
    med=$(echo "$out" | grep median | awk '{print $2}')
    cpu=$(echo "$out" | grep "process CPU" | awk '{print $(NF-1)}' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
    echo "$(basename $j) $cfg t=$t median=$med img/s cpu/step=$cpu"
  done
done
