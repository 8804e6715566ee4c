import org.lfssd.kernels.*;
import java.lang.management.*;
import java.util.*;

public class G {
    public static void main(String[] args) {
        Gemm g = Kernels.gemm();
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        int[][] shapes = {{1024,1024,1024,0,0},{3152,768,192,0,1},{3152,192,768,0,1},{3152,192,192,0,1},{3152,576,192,0,1},{192,768,3152,1,0},{3152,192,768,0,0}};
        Random r = new Random(1);
        for (int round = 0; round < 5; round++) {
            StringBuilder sb = new StringBuilder();
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                boolean ta = s[3] == 1, tb = s[4] == 1;
                float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
                for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
                for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
                int lda = ta ? m : k, ldb = tb ? k : n;
                int reps = (int) Math.max(1, 2e9 / (2.0 * m * n * k));
                g.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
                long t0 = tm.getCurrentThreadCpuTime();
                for (int q = 0; q < reps; q++) g.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
                long t1 = tm.getCurrentThreadCpuTime();
                sb.append(String.format("%dx%dx%d%s%s %.0f | ", m, n, k, ta ? "T" : "N", tb ? "T" : "N", 2.0 * m * n * k * reps / (t1 - t0)));
            }
            System.out.println(sb);
        }
    }
}
