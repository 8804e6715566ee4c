package org.lfssd.bench;

import java.lang.management.ManagementFactory;
import org.lfssd.kernels.Parallel;

public final class AllocProbe {
    public static void main(String[] args) {
        Parallel.setThreads(Integer.parseInt(args[1]));
        ImportancePassWorkload w = ImportancePassWorkload.create(args[0]);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            long[] ids = mx.getAllThreadIds();
            long[] b0 = mx.getThreadAllocatedBytes(ids);
            long t0 = System.nanoTime();
            w.run("lfssd");
            long dt = System.nanoTime() - t0;
            long[] b1 = mx.getThreadAllocatedBytes(ids);
            StringBuilder sb = new StringBuilder();
            for (int t = 0; t < ids.length; t++) {
                long d = b1[t] - b0[t];
                if (d > 1_000_000) {
                    sb.append(mx.getThreadInfo(ids[t]).getThreadName()).append('=').append(d / 1_000_000).append("MB ");
                }
            }
            System.out.printf("step %d %.3f s alloc %s%n", i, dt / 1e9, sb);
        }
        w.close();
    }
}
