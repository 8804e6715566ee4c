import java.util.SplittableRandom;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.KernelProvider;
import org.lfssd.kernels.UnaryOp;

/** Hashes the bits of GELU forward/backward and expSum over varied inputs (incl. special values, odd lengths). */
public class BitsDump {
    public static void main(String[] a) {
        KernelProvider k = Kernels.provider();
        SplittableRandom r = new SplittableRandom(42);
        int n = 1_000_003;
        float[] x = new float[n + 10], g = new float[n + 10];
        for (int i = 0; i < n; i++) {
            double s = r.nextDouble();
            x[i] = (float) (s < 0.9 ? r.nextGaussian() * 4 : s < 0.97 ? r.nextGaussian() * 40 : (r.nextDouble() - 0.5) * 400);
            g[i] = (float) r.nextGaussian();
        }
        float[] sp = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 16f, -16f, 14.42f, -14.42f, 100f, -100f, 88.8f, -104f, Float.MIN_VALUE, -Float.MAX_VALUE};
        System.arraycopy(sp, 0, x, 1000, sp.length);
        long h = 1;
        for (int len : new int[] {n, 1, 15, 16, 17, 255, 256, 257, 769, 4099}) {
            float[] o = new float[len], ob = new float[len];
            k.map(UnaryOp.GELU, x, 3, o, 0, len);
            k.mapBackward(UnaryOp.GELU, x, 3, g, 5, ob, 0, len);
            for (int i = 0; i < len; i++) { h = h * 31 + Float.floatToRawIntBits(o[i]); h = h * 31 + Float.floatToRawIntBits(ob[i]); }
        }
        for (int len : new int[] {1, 5, 16, 17, 65, 197, 256, 1000}) {
            for (int off = 0; off < 20000; off += 997) {
                float[] o = new float[len];
                float s = k.expSum(x[off] * 0.5f, x, off + 900, o, 0, len);
                h = h * 31 + Float.floatToRawIntBits(s);
                for (int i = 0; i < len; i++) h = h * 31 + Float.floatToRawIntBits(o[i]);
            }
        }
        System.out.println("hash " + Long.toHexString(h));
    }
}
