import java.lang.management.*;
import java.util.*;
import org.lfssd.kernels.*;

/** Loaded once per jar (own class loader): runs one GEMM shape at a thread count, returns timings. */
public class Runner {
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  static final Map<String, float[][]> DATA = new HashMap<>();
  static long[] workerIds = new long[0];
  static int curThreads = -1;

  static void threads(int t) {
    if (t != curThreads) {
      Parallel.setThreads(t); curThreads = t;
      Set<Long> ids = Collections.synchronizedSet(new HashSet<>());
      if (t > 1) for (int r = 0; r < 50 && ids.size() < t; r++)
        Parallel.forEach(8, i -> { ids.add(Thread.currentThread().getId()); long s=System.nanoTime(); while(System.nanoTime()-s<200_000); });
      workerIds = ids.stream().mapToLong(Long::longValue).toArray();
    }
  }
  // shape "NT:m x n x k"
  public static double[] run(String shape, int t, int calls) {
    threads(t);
    String[] p = shape.split(":"); boolean ta = p[0].charAt(0)=='T', tb = p[0].charAt(1)=='T';
    String[] d = p[1].split("x"); int m=Integer.parseInt(d[0]), n=Integer.parseInt(d[1]), k=Integer.parseInt(d[2]);
    float[][] arr = DATA.computeIfAbsent(shape, s -> {
      Random r = new Random(42); float[] a = new float[m*k], b = new float[k*n], c = new float[m*n];
      for (int i=0;i<a.length;i++) a[i]=r.nextFloat()-0.5f; for (int i=0;i<b.length;i++) b[i]=r.nextFloat()-0.5f;
      return new float[][]{a,b,c};});
    int lda = ta ? m : k, ldb = tb ? k : n;
    Gemm g = Kernels.gemm();
    java.util.Map<Long,Long> w0 = workers();
    long c0 = MX.getCurrentThreadCpuTime(), t0 = System.nanoTime();
    for (int i=0;i<calls;i++) g.sgemm(ta,tb,m,n,k,1f,arr[0],0,lda,arr[1],0,ldb,0f,arr[2],0,n);
    long wall = System.nanoTime()-t0, main = MX.getCurrentThreadCpuTime()-c0;
    long sum = main, max = main;
    for (java.util.Map.Entry<Long,Long> e : workers().entrySet()){ long x = e.getValue() - w0.getOrDefault(e.getKey(), 0L); sum+=x; max=Math.max(max,x);}
    double flop = 2.0*m*n*k*calls;
    // GFLOP/s by: wall, total cpu, busiest thread cpu
    return new double[]{flop/wall, flop/sum, flop/max, checksum(arr[2])};
  }
  static java.util.Map<Long,Long> workers() {
    java.util.Map<Long,Long> m = new java.util.HashMap<>();
    for (ThreadInfo ti : MX.getThreadInfo(MX.getAllThreadIds())) if (ti != null && ti.getThreadName().startsWith("lfssd-worker")) { long c = MX.getThreadCpuTime(ti.getThreadId()); if (c > 0) m.put(ti.getThreadId(), c); }
    return m;
  }
  static double checksum(float[] c){ double s=0; for (int i=0;i<c.length;i+=7) s+=c[i]*(1+(i%13)); return s; }
}
