public class Z {
    static volatile float[] sink;
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]);
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            int reps = 2000;
            for (int i = 0; i < reps; i++) { float[] x = new float[n]; x[n - 1] = 1; sink = x; }
            double ms = (System.nanoTime() - t0) / 1e6 / reps;
            System.out.printf("n=%d %.3f ms per alloc, %.2f GB/s%n", n, ms, n * 4 / ms / 1e6);
        }
    }
}
