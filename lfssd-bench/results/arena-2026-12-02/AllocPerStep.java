package org.lfssd.bench;

import java.lang.management.ManagementFactory;
import org.lfssd.kernels.Parallel;

public final class AllocPerStep {
    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Parallel.setThreads(Integer.parseInt(args[1]));
        ImportancePassWorkload w = ImportancePassWorkload.create(args[0], true);
        for (int i = 0; i < 3; i++) w.run("lfssd");
        for (int i = 0; i < 3; i++) {
            long main0 = mx.getCurrentThreadAllocatedBytes();
            long all0 = total(mx);
            w.run("lfssd");
            System.out.printf("%s: caller %.1f MB, all threads %.1f MB per step%n", args[0],
                    (mx.getCurrentThreadAllocatedBytes() - main0) / 1e6, (total(mx) - all0) / 1e6);
        }
        w.close();
    }
    static long total(com.sun.management.ThreadMXBean mx) {
        long s = 0;
        for (long id : mx.getAllThreadIds()) { long b = mx.getThreadAllocatedBytes(id); if (b > 0) s += b; }
        return s;
    }
}
