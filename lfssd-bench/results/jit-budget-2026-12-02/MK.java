import jdk.incubator.vector.*;
import java.lang.management.*;

public class MK {
    static long addr(Object o) {
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
            Object[] h = {o};
            long narrow = u.getInt(h, (long) u.arrayBaseOffset(Object[].class)) & 0xffffffffL;
            return narrow << 3;
        } catch (Exception e) { throw new RuntimeException(e); }
    }
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int L = 16, MR = 12, NR = 32;

    static void mk12x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z, c4a = z, c4b = z, c5a = z, c5b = z;
        FloatVector c6a = z, c6b = z, c7a = z, c7b = z, c8a = z, c8b = z, c9a = z, c9b = z, c10a = z, c10b = z, c11a = z, c11b = z;
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR;
            int b = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[a]); c0a = x.fma(b0, c0a); c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, ap[a + 1]); c1a = x.fma(b0, c1a); c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, ap[a + 2]); c2a = x.fma(b0, c2a); c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, ap[a + 3]); c3a = x.fma(b0, c3a); c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, ap[a + 4]); c4a = x.fma(b0, c4a); c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, ap[a + 5]); c5a = x.fma(b0, c5a); c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(S, ap[a + 6]); c6a = x.fma(b0, c6a); c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(S, ap[a + 7]); c7a = x.fma(b0, c7a); c7b = x.fma(b1, c7b);
            x = FloatVector.broadcast(S, ap[a + 8]); c8a = x.fma(b0, c8a); c8b = x.fma(b1, c8b);
            x = FloatVector.broadcast(S, ap[a + 9]); c9a = x.fma(b0, c9a); c9b = x.fma(b1, c9b);
            x = FloatVector.broadcast(S, ap[a + 10]); c10a = x.fma(b0, c10a); c10b = x.fma(b1, c10b);
            x = FloatVector.broadcast(S, ap[a + 11]); c11a = x.fma(b0, c11a); c11b = x.fma(b1, c11b);
        }
        c0a.intoArray(acc, 0); c0b.intoArray(acc, 16); c1a.intoArray(acc, 32); c1b.intoArray(acc, 48);
        c2a.intoArray(acc, 64); c2b.intoArray(acc, 80); c3a.intoArray(acc, 96); c3b.intoArray(acc, 112);
        c4a.intoArray(acc, 128); c4b.intoArray(acc, 144); c5a.intoArray(acc, 160); c5b.intoArray(acc, 176);
        c6a.intoArray(acc, 192); c6b.intoArray(acc, 208); c7a.intoArray(acc, 224); c7b.intoArray(acc, 240);
        c8a.intoArray(acc, 256); c8b.intoArray(acc, 272); c9a.intoArray(acc, 288); c9b.intoArray(acc, 304);
        c10a.intoArray(acc, 320); c10b.intoArray(acc, 336); c11a.intoArray(acc, 352); c11b.intoArray(acc, 368);
    }

    static double run(int kc, int nB, int nA, boolean aInner, float[] ap, float[] bp, float[] acc, ThreadMXBean tm, int ao, int bo) {
        long calls = (long) (1e9 / (2.0 * MR * NR * kc));
        long t0 = tm.getCurrentThreadCpuTime();
        long done = 0;
        while (done < calls) {
            if (aInner) {
                for (int jb = 0; jb < nB; jb++) for (int ia = 0; ia < nA; ia++) { mk12x2(kc, ap, ao + ia * MR * kc, bp, bo + jb * NR * kc, acc); done++; }
            } else {
                for (int ia = 0; ia < nA; ia++) for (int jb = 0; jb < nB; jb++) { mk12x2(kc, ap, ao + ia * MR * kc, bp, bo + jb * NR * kc, acc); done++; }
            }
        }
        long t1 = tm.getCurrentThreadCpuTime();
        return 2.0 * MR * NR * kc * done / (t1 - t0);
    }

    public static void main(String[] args) {
        String[] cfgs = args;
        int n = cfgs.length;
        float[] ap = new float[MR * 512 * 40 + 64];
        float[] bp = new float[NR * 512 * 64 + 64];
        for (int i = 0; i < ap.length; i++) ap[i] = (i % 7) * 0.01f;
        for (int i = 0; i < bp.length; i++) bp[i] = (i % 5) * 0.01f;
        float[] acc = new float[MR * NR];
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        double[][] res = new double[n][15];
        for (int round = 0; round < 15; round++) {
            for (int c = 0; c < n; c++) {
                String[] p = cfgs[c].split(",");
                int bmis = Integer.parseInt(p[3]);
                int bo = (int) (((64 - (addr(bp) + 16) % 64) % 64) / 4 + bmis) % 16;
                int ao = (int) (((64 - (addr(ap) + 16) % 64) % 64) / 4);
                res[c][round] = run(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), false, ap, bp, acc, tm, ao, bo);
            }
        }
        for (int c = 0; c < n; c++) {
            double[] r = java.util.Arrays.copyOfRange(res[c], 3, 15);
            java.util.Arrays.sort(r);
            System.out.printf("%-20s median %.1f  max %.1f%n", cfgs[c], r[r.length / 2], r[r.length - 1]);
        }
    }
}
