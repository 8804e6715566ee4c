package org.lfssd.bench;
import org.lfssd.autograd.ops.ConvOps;
import org.lfssd.kernels.Parallel;
import java.lang.management.*;
import java.util.*;
/** Alternates conv algorithms within one JVM on the ResNet importance step; thread CPU (1 thread). */
public class ConvAlgoAB {
  public static void main(String[] a) {
    int rounds=Integer.parseInt(a[0]); String[] algs=a[1].split(",");
    Parallel.setThreads(1);
    ImportancePassWorkload w = ImportancePassWorkload.create("resnet18_b64");
    ThreadMXBean tb=ManagementFactory.getThreadMXBean();
    Map<String,List<Double>> t=new LinkedHashMap<>();
    for (int r=0;r<rounds;r++) for (String alg: algs) {
      try (var s = ConvOps.using(ConvOps.Algorithm.valueOf(alg.toUpperCase()))) {
        long c0=tb.getCurrentThreadCpuTime(); w.run("lfssd"); long c1=tb.getCurrentThreadCpuTime();
        if (r>=2) t.computeIfAbsent(alg,k->new ArrayList<>()).add((c1-c0)/1e9);
      }
    }
    for (var e: t.entrySet()) { List<Double> l=new ArrayList<>(e.getValue()); Collections.sort(l);
      System.out.printf("%s: median %.3f s CPU per batch of 64, all %s%n", e.getKey(), l.get(l.size()/2), e.getValue()); }
  }
}
