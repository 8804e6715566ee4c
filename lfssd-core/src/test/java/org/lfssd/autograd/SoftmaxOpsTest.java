package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

class SoftmaxOpsTest {

    /** Double-precision (log-)softmax of {@code x} along {@code dim} (non-negative). */
    private static double[] reference(Tensor x, int dim, boolean log) {
        int[] s = x.shape();
        int size = s[dim];
        int inner = 1;
        for (int i = dim + 1; i < s.length; i++) {
            inner *= s[i];
        }
        int outer = x.numel() / (size * inner);
        float[] xd = x.toArray();
        double[] y = new double[xd.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int d = 0; d < size; d++) {
                    max = Math.max(max, xd[(o * size + d) * inner + j]);
                }
                double sum = 0;
                for (int d = 0; d < size; d++) {
                    sum += Math.exp(xd[(o * size + d) * inner + j] - max);
                }
                for (int d = 0; d < size; d++) {
                    int idx = (o * size + d) * inner + j;
                    y[idx] = log ? xd[idx] - max - Math.log(sum) : Math.exp(xd[idx] - max) / sum;
                }
            }
        }
        return y;
    }

    private static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        float[] a = actual.toArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], tol, what + " element " + i);
        }
    }

    @Test
    void forwardMatchesDoubleReferenceAlongEveryDim() {
        Tensor x = Tensor.randn(new SplittableRandom(1), 0f, 2f, 3, 4, 5);
        for (int dim = 0; dim < 3; dim++) {
            // Probabilities are in [0, 1]: a few float roundings of exp and the division stay below 1e-6.
            assertClose(reference(x, dim, false), F.softmax(Var.constant(x), dim).value(), 1e-6, "softmax dim " + dim);
            // Log-probabilities of O(10): float rounding of the subtraction and the log, well below 1e-5.
            assertClose(reference(x, dim, true), F.logSoftmax(Var.constant(x), dim).value(), 1e-5, "logSoftmax dim " + dim);
        }
        assertClose(reference(x, 2, false), F.softmax(Var.constant(x), -1).value(), 1e-6, "softmax dim -1");
    }

    @Test
    void handComputedRow() {
        Tensor x = Tensor.fromArray(new float[] {0f, (float) Math.log(3)}, 1, 2);
        Tensor p = F.softmax(Var.constant(x), 1).value();
        assertEquals(0.25f, p.get(0, 0), 1e-7f);
        assertEquals(0.75f, p.get(0, 1), 1e-7f);
        Tensor lp = F.logSoftmax(Var.constant(x), 1).value();
        assertEquals(Math.log(0.25), lp.get(0, 0), 1e-6);
    }

    @Test
    void stableForHugeLogits() {
        Tensor x = Tensor.fromArray(new float[] {1000f, 1001f, 1002f, -1000f, -1001f, -1002f}, 2, 3);
        Tensor shifted = Tensor.fromArray(new float[] {0f, 1f, 2f, 0f, -1f, -2f}, 2, 3);
        assertClose(reference(shifted, 1, false), F.softmax(Var.constant(x), 1).value(), 1e-6, "softmax");
        assertClose(reference(shifted, 1, true), F.logSoftmax(Var.constant(x), -1).value(), 1e-5, "logSoftmax");
        // Down a column: the same values laid out along dim 0.
        Tensor xt = x.transpose(0, 1);
        Tensor st = shifted.transpose(0, 1);
        assertClose(reference(st, 0, false), F.softmax(Var.constant(xt), 0).value(), 1e-6, "softmax dim 0");
        assertClose(reference(st, 0, true), F.logSoftmax(Var.constant(xt), 0).value(), 1e-5, "logSoftmax dim 0");
    }

    @Test
    void gradientsAlongEveryDim() {
        Tensor x = Tensor.randn(new SplittableRandom(2), 0f, 1f, 3, 4, 5);
        for (int dim : new int[] {0, 1, -1}) {
            int d = dim;
            GradCheck.check("softmax dim " + d, v -> F.softmax(v[0], d), x);
            GradCheck.check("logSoftmax dim " + d, v -> F.logSoftmax(v[0], d), x);
        }
    }

    @Test
    void gradientOnAView() {
        Tensor big = Tensor.randn(new SplittableRandom(3), 0f, 1f, 4, 3, 5);
        GradCheck.check("softmax of a view", v -> F.softmax(v[0], 1), big.sliceBatch(1, 3));
    }

    @Test
    void rejectsBadDim() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.softmax(Var.constant(Tensor.zeros(2, 3)), 2));
        assertTrue(e.getMessage().contains("softmax"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.logSoftmax(Var.constant(Tensor.zeros(2, 3)), -3));
        assertThrows(IllegalArgumentException.class, () -> F.softmax(Var.constant(Tensor.zeros()), 0));
    }

    @Test
    void emptyTensorsPassThrough() {
        Var y = F.softmax(Var.constant(Tensor.zeros(0, 4)), 0);
        assertEquals("[0, 4]", Shapes.str(y.shape()));
        assertEquals(0, F.logSoftmax(Var.constant(Tensor.zeros(3, 0)), 1).value().numel());
    }
}
