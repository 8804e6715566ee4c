import org.lfssd.kernels.*;
/** pixelsToPlanes / planesToPixels: vector provider vs scalar, per image of C x H x W, ms per batch of n images. */
public class TP {
  public static void main(String[] a) {
    int c = Integer.parseInt(a[0]), hw = Integer.parseInt(a[1]), n = Integer.parseInt(a[2]), reps = Integer.parseInt(a[3]);
    KernelProvider v = Kernels.provider(), s = new ScalarKernels();
    int plane = hw * hw; int[] offs = new int[plane]; for (int p = 0; p < plane; p++) offs[p] = p * c;
    float[] src = new float[n * c * plane], dst = new float[n * c * plane];
    for (int i = 0; i < src.length; i++) src[i] = i;
    for (int round = 0; round < reps; round++) {
      for (KernelProvider k : new KernelProvider[] {v, s}) {
        long t0 = System.nanoTime();
        for (int img = 0; img < n; img++) k.pixelsToPlanes(src, img * c * plane, offs, plane, c, null, 0, dst, img * c * plane, plane);
        long t1 = System.nanoTime();
        for (int img = 0; img < n; img++) k.planesToPixels(src, img * c * plane, plane, c, dst, img * c * plane, offs, plane);
        long t2 = System.nanoTime();
        if (round >= reps - 3) System.out.printf("%s toPlanes %.2f ms toPixels %.2f ms%n", k == v ? "vector" : "scalar", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
      }
    }
  }
}
