import org.lfssd.kernels.Parallel;
import java.lang.management.*;
public class PoolProbe {
    static volatile double sink;
    static double burn(long n){ double s=0; for(long i=0;i<n;i++){ s+=Math.sqrt(i+1.0);} return s;}
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]);
        long work = Long.parseLong(a[1]); // sqrt iterations per task
        int jobs = Integer.parseInt(a[2]);
        Parallel.setThreads(threads);
        double[] out = new double[64];
        for (int round=0; round<6; round++) {
            long t0=System.nanoTime();
            long c0=ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean o ? o.getProcessCpuTime():0;
            for (int j=0;j<jobs;j++) Parallel.forEach(2, t -> out[t]+=burn(work));
            long t1=System.nanoTime();
            long c1=((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            System.out.printf("threads=%d work=%d jobs=%d: wall %.1f ms, cpu %.1f ms, per job %.1f us%n", threads, work, jobs, (t1-t0)/1e6, (c1-c0)/1e6, (t1-t0)/1e3/jobs);
        }
        sink=out[0];
    }
}
