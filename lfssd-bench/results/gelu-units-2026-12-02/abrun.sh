#!/bin/bash
# abrun.sh jar tag : one ViT-Tiny 224, 2-thread ImportanceProfile run (10 warm-up + 10 timed steps) with
# GC log, LogCompilation, JFR (profile) and C2 code of the lane kernels printed for callscan.py.
jar=$1; t=$2
java --add-modules jdk.incubator.vector -Xmx8g -Xlog:gc*:file=/tmp/ab/$t.gc.log \
  -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=/tmp/ab/$t.comp.log \
  -XX:CompileCommand=quiet -XX:CompileCommand=print,org.lfssd.kernels.vector.GeluLanes::* \
  -XX:CompileCommand=print,org.lfssd.kernels.vector.VectorMath::exp* \
  -XX:CompileCommand=print,org.lfssd.kernels.vector.VectorKernels::exp* \
  -XX:CompileCommand=print,org.lfssd.kernels.vector.VectorKernels::subtractShift \
  -XX:StartFlightRecording=filename=/tmp/ab/$t.jfr,settings=profile \
  -cp $jar org.lfssd.bench.ImportanceProfile vit224_b16 2 lfssd 10 10 > /tmp/ab/$t.txt 2>&1
f=/tmp/ab/$t.gc.log; last=$(tail -1 $f | sed 's/^\[\([0-9.]*\)s.*/\1/')
echo "$t $(grep median /tmp/ab/$t.txt) late40%=$(grep 'Pause Young' $f | sed 's/^\[\([0-9.]*\)s.*/\1/' | awk -v l=$last '$1 > l*0.6' | wc -l) young=$(grep -c 'Pause Young' $f) load=$(cut -d' ' -f1 /proc/loadavg)"
