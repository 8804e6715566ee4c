package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

class LossOpsTest {

    /** Mean over rows of {@code log(sum exp(x_i)) - x_i[label]}, in double. */
    private static double referenceCrossEntropy(Tensor logits, int[] labels) {
        int rows = logits.size(0);
        int classes = logits.size(1);
        float[] x = logits.toArray();
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[r * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(x[r * classes + c] - max);
            }
            total += max + Math.log(sum) - x[r * classes + labels[r]];
        }
        return total / rows;
    }

    private static final int[] REPEATED_LABELS = {1, 3, 1, 0, 1};

    @Test
    void crossEntropyMatchesDoubleReference() {
        Tensor logits = Tensor.randn(new SplittableRandom(1), 0f, 2f, 5, 4);
        Var loss = F.crossEntropy(Var.constant(logits), REPEATED_LABELS);
        assertEquals(0, loss.dim());
        // An O(1) mean of float log-sum-exps: a few ulps.
        assertEquals(referenceCrossEntropy(logits, REPEATED_LABELS), loss.value().item(), 1e-6);
    }

    @Test
    void crossEntropyHandComputed() {
        // Uniform logits over 4 classes: -log(1/4) whatever the label.
        Var loss = F.crossEntropy(Var.constant(Tensor.full(3f, 2, 4)), new int[] {0, 3});
        assertEquals(Math.log(4), loss.value().item(), 1e-6);
    }

    @Test
    void crossEntropyStableForHugeLogits() {
        Tensor logits = Tensor.fromArray(new float[] {10000f, 10001f, 10003f, -10000f, -10004f, -10001f}, 2, 3);
        Tensor shifted = Tensor.fromArray(new float[] {0f, 1f, 3f, 0f, -4f, -1f}, 2, 3);
        int[] labels = {0, 2};
        Var loss = F.crossEntropy(Var.param(logits), labels);
        assertEquals(referenceCrossEntropy(shifted, labels), loss.value().item(), 1e-5);
    }

    @Test
    void crossEntropyGradient() {
        Tensor logits = Tensor.randn(new SplittableRandom(2), 0f, 1f, 5, 4);
        GradCheck.check("crossEntropy", v -> F.crossEntropy(v[0], REPEATED_LABELS), logits);
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverBatch() {
        Var logits = Var.param(Tensor.fromArray(new float[] {0f, (float) Math.log(3), 0f, 0f}, 2, 2));
        F.crossEntropy(logits, new int[] {1, 0}).backward();
        // Row 0: p = [1/4, 3/4], label 1; row 1: p = [1/2, 1/2], label 0; all divided by B = 2.
        float[] expected = {0.125f, -0.125f, -0.25f, 0.25f};
        float[] g = logits.grad().toArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], g[i], 1e-7f, "element " + i);
        }
    }

    @Test
    void crossEntropyRejectsBadLabels() {
        Var logits = Var.constant(Tensor.zeros(3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.crossEntropy(logits, new int[] {0, 4, 1}));
        assertTrue(e.getMessage().contains("labels[1]") && e.getMessage().contains("4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, new int[] {0, 1, -1}));
        assertTrue(e.getMessage().contains("labels[2]") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(Var.constant(Tensor.zeros(12)), new int[12]));
    }

    @Test
    void squaredNormPerRow() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 2, 0, 3, 4}, 2, 3);
        Var n = F.squaredNorm(Var.constant(x));
        assertArrayEquals(new int[] {2}, n.shape());
        assertArrayEquals(new float[] {9f, 25f}, n.value().toArray());
    }

    @Test
    void squaredNormMatchesDoubleReferenceAndGradient() {
        Tensor x = Tensor.randn(new SplittableRandom(3), 0f, 1f, 3, 2, 5);
        float[] xd = x.toArray();
        Tensor n = F.squaredNorm(Var.constant(x)).value();
        for (int r = 0; r < 3; r++) {
            double s = 0;
            for (int i = 0; i < 10; i++) {
                s += (double) xd[r * 10 + i] * xd[r * 10 + i];
            }
            assertEquals(s, n.get(r), 1e-5 * s);
        }
        GradCheck.check("squaredNorm", v -> F.squaredNorm(v[0]), x);
    }

    @Test
    void meanSquaredNormIsTheBatchMean() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 2, 0, 3, 4}, 2, 3);
        Var loss = F.meanSquaredNorm(Var.constant(x));
        assertEquals(0, loss.dim());
        assertEquals(17f, loss.value().item());
    }

    @Test
    void meanSquaredNormGradient() {
        Tensor x = Tensor.randn(new SplittableRandom(4), 0f, 1f, 3, 2, 5);
        GradCheck.check("meanSquaredNorm", v -> F.meanSquaredNorm(v[0]), x);
        Var p = Var.param(Tensor.fromArray(new float[] {1, -2, 3, 0.5f}, 2, 2));
        F.meanSquaredNorm(p).backward();
        // 2 x / B with B = 2.
        assertArrayEquals(new float[] {1, -2, 3, 0.5f}, p.grad().toArray());
    }

    @Test
    void normsRejectScalars() {
        assertThrows(IllegalArgumentException.class, () -> F.squaredNorm(Var.constant(Tensor.zeros())));
        assertThrows(IllegalArgumentException.class, () -> F.meanSquaredNorm(Var.constant(Tensor.zeros())));
        assertThrows(IllegalArgumentException.class, () -> F.meanSquaredNorm(Var.constant(Tensor.zeros(0, 3))));
    }
}
