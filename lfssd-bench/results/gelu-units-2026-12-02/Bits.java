import org.lfssd.kernels.vector.VectorKernels;
import org.lfssd.kernels.UnaryOp;
/** Hash of the bits of GELU forward/backward and expSum over many values, offsets and lengths; run twice (cold and warm). */
public class Bits {
  static final boolean RAW = Boolean.getBoolean("raw");
  static int bits(float v) { return RAW ? Float.floatToRawIntBits(v) : Float.floatToIntBits(v); }
  public static void main(String[] a) {
    VectorKernels k = new VectorKernels();
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    int N = 1 << 20;
    float[] x = new float[N + 64], g = new float[N + 64];
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, 1e-30f, -1e-30f, 10f, -10f, 9.999f, -9.999f, 10.001f, -10.001f, 13f, -13f, 20f, -20f, 100f, -100f, 88.7f, -103.9f, -104f, Float.MAX_VALUE, -Float.MAX_VALUE};
    for (int i = 0; i < x.length; i++) {
      int m = r.nextInt(8);
      x[i] = m == 0 ? specials[r.nextInt(specials.length)] : m < 4 ? (float) (r.nextGaussian() * 3) : m < 6 ? (float) (r.nextDouble() * 40 - 20) : Float.intBitsToFloat(r.nextInt());
      g[i] = (float) r.nextGaussian();
    }
    for (int round = 0; round < Integer.parseInt(a[0]); round++) {
      long h = 1469598103934665603L;
      float[] o = new float[N + 64];
      int[] lens = {1, 3, 15, 16, 17, 31, 197, 255, 256, 257, 511, 512, 513, 768, 1000, 3152, 65536 + 5, N};
      for (int len : lens) for (int off = 0; off < 3; off++) {
        if (off + len > N) continue;
        k.map(UnaryOp.GELU, x, off, o, off + 1, len);
        for (int i = 0; i < len; i++) h = (h ^ bits(o[off + 1 + i])) * 1099511628211L;
        k.mapBackward(UnaryOp.GELU, x, off, g, off, o, off, len);
        for (int i = 0; i < len; i++) h = (h ^ bits(o[off + i])) * 1099511628211L;
        float s = k.expSum(1.5f, x, off, o, off + 2, len);
        h = (h ^ bits(s)) * 1099511628211L;
        for (int i = 0; i < len; i++) h = (h ^ bits(o[off + 2 + i])) * 1099511628211L;
      }
      // in place: out == x
      float[] y = java.util.Arrays.copyOf(x, 5000); k.map(UnaryOp.GELU, y, 0, y, 0, 4999);
      for (float v : y) h = (h ^ bits(v)) * 1099511628211L;
      float[] z = java.util.Arrays.copyOf(g, 5000); k.mapBackward(UnaryOp.GELU, x, 0, z, 0, z, 0, 4999);
      for (float v : z) h = (h ^ bits(v)) * 1099511628211L;
      float[] w = java.util.Arrays.copyOf(x, 5000); float s = k.expSum(-2f, w, 0, w, 0, 4999);
      h = (h ^ bits(s)) * 1099511628211L;
      for (float v : w) h = (h ^ bits(v)) * 1099511628211L;
      System.out.printf("round %d hash %016x%n", round, h);
    }
  }
}
