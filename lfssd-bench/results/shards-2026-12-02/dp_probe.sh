#!/bin/bash
# alternate: one JVM at 2 threads on batch B vs two concurrent JVMs at 1 thread on batch B/2
J="java --add-modules jdk.incubator.vector -Xmx8g -cp /work/scratch/base.jar org.lfssd.bench.ImportanceProfile"
for r in 1 2 3; do
 for spec in "resnet18 64 32 4 6" "vit224 16 8 3 4" "vit32 16 8 6 8"; do
  set -- $spec; c=$1; b=$2; h=$3; w=$4; t=$5
  a=$($J ${c}_b$b 2 lfssd $w $t 2>&1 | tail -n 1 | awk '{print $2}')
  $J ${c}_b$h 1 lfssd $w $t > /tmp/q1.txt 2>&1 & $J ${c}_b$h 1 lfssd $w $t > /tmp/q2.txt 2>&1; wait
  p1=$(tail -n 1 /tmp/q1.txt | awk '{print $2}'); p2=$(tail -n 1 /tmp/q2.txt | awk '{print $2}')
  echo "$(date +%H:%M:%S) round $r $c 2T_b$b=$a  2x1T_b$h=$p1+$p2 = $(echo "$p1+$p2" | bc) ratio $(echo "scale=3;($p1+$p2)/$a" | bc)"
 done
done
