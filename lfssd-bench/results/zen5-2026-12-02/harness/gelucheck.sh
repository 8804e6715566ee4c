#!/bin/bash
# gelucheck.sh jar cfg runs : young GCs during the timed steps (proxy for Vector API fallback garbage)
for i in $(seq $3); do
  java --add-modules jdk.incubator.vector -Xmx8g -Xlog:gc*:file=/tmp/gc_check.log -cp $1 org.lfssd.bench.ImportanceProfile $2 2 lfssd 10 10 > /tmp/ip_check.txt 2>&1
  t0=$(grep -c "" /dev/null)
  med=$(grep median /tmp/ip_check.txt | awk '{print $2}')
  total=$(grep -c "Pause Young" /tmp/gc_check.log)
  last=$(tail -1 /tmp/gc_check.log | sed 's/^\[\([0-9.]*\)s.*/\1/')
  late=$(grep "Pause Young" /tmp/gc_check.log | sed 's/^\[\([0-9.]*\)s.*/\1/' | awk -v l=$last '$1 > l*0.6' | wc -l)
  echo "$(basename $1) $2 median=$med young=$total late40%=$late"
done
