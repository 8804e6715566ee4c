import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/** Alternates whole ImportanceProfile-style steps of two benchmark jars in one JVM; process CPU per step. */
public class InJvmAB {
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] a) throws Exception {
        String config = a[0];
        int threads = Integer.parseInt(a[1]);
        int warm = Integer.parseInt(a[2]);
        int rounds = Integer.parseInt(a[3]);
        Object[] work = new Object[2];
        Method[] run = new Method[2];
        for (int j = 0; j < 2; j++) {
            URLClassLoader l = new URLClassLoader(new URL[] {Path.of(a[4 + j]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> par = Class.forName("org.lfssd.kernels.Parallel", true, l);
            par.getMethod("setThreads", int.class).invoke(null, threads);
            Class<?> w = Class.forName("org.lfssd.bench.ImportancePassWorkload", true, l);
            Method create = w.getDeclaredMethod("create", String.class);
            create.setAccessible(true);
            work[j] = create.invoke(null, config);
            run[j] = w.getDeclaredMethod("run", String.class);
            run[j].setAccessible(true);
        }
        float sink = 0;
        for (int i = 0; i < warm; i++) {
            for (int j = 0; j < 2; j++) {
                sink += (float) run[j].invoke(work[j], "lfssd");
            }
        }
        double[][] t = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int jj = 0; jj < 2; jj++) {
                int j = (r % 2 == 0) ? jj : 1 - jj; // ABBA
                System.gc();
                long c0 = cpu();
                sink += (float) run[j].invoke(work[j], "lfssd");
                t[j][r] = (cpu() - c0) / 1e9;
            }
            System.out.printf("round %d: A %.3f B %.3f ratio A/B %.3f%n", r, t[0][r], t[1][r], t[0][r] / t[1][r]);
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) ratio[r] = t[0][r] / t[1][r];
        System.out.printf("median A %.3f B %.3f, median of ratios %.3f (sink %s)%n", med(t[0]), med(t[1]), med(ratio), sink);
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
