package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.ops.ConvOps;
import org.lfssd.autograd.ops.ConvOps.Algorithm;
import org.lfssd.data.Batches;
import org.lfssd.models.ResNet18;
import org.lfssd.tensor.Tensor;

/**
 * Choosing the fast convolution never changes what is forgotten: on a full-width ResNet18 with random
 * weights, Ω_D and Ω_f computed with the default algorithm ({@code auto}: Winograd F(2x2, 3x3) for the
 * forward and input gradient of the stride-1 3x3 layers, direct channels-last convolution for the rest
 * and for every weight gradient, im2col for the 3-channel stem) select the same parameters as with
 * im2col + GEMM, up to ties within 1e-6 relative. A parameter whose importance is exactly zero in the
 * reference is no tie: selecting it would dampen a weight that matters to nothing.
 */
class FastConvolutionSelectionTest {
    private static final int IMAGES = 12;
    private static final int FORGET = 4;
    private static final int BATCH = 4;
    private static final float ALPHA = 1.5f;

    @Test
    void autoSelectsTheSameParametersAsIm2col() {
        ResNet18 model = new ResNet18(10, new SplittableRandom(3));
        Tensor x = Tensor.randn(new SplittableRandom(4), 0f, 1f, IMAGES, 3, 32, 32);
        int[] labels = new int[IMAGES];
        Batches all = new Batches(x, labels, BATCH);
        Batches forget = new Batches(x.sliceBatch(IMAGES - FORGET, IMAGES), new int[FORGET], BATCH);
        Unlearner u = Unlearner.lfssd().alpha(ALPHA).lambda(1).build();

        Importance fastD = u.importance(model, all);
        Importance fastF = u.importance(model, forget);
        Importance refD;
        Importance refF;
        try (var s = ConvOps.using(Algorithm.IM2COL)) {
            refD = u.importance(model, all);
            refF = u.importance(model, forget);
        }

        long selected = 0;
        long differences = 0;
        double worstOmegaRel = 0;
        for (Map.Entry<String, Tensor> e : refD.values().entrySet()) {
            String name = e.getKey();
            float[] rd = e.getValue().toArray();
            float[] rf = refF.get(name).toArray();
            float[] fd = fastD.get(name).toArray();
            float[] ff = fastF.get(name).toArray();
            double scale = 0;
            for (float v : rd) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < rd.length; i++) {
                worstOmegaRel = Math.max(worstOmegaRel, Math.abs(fd[i] - rd[i]) / Math.max(scale, Float.MIN_NORMAL));
                boolean ref = rf[i] > ALPHA * rd[i];
                boolean fast = ff[i] > ALPHA * fd[i];
                selected += ref ? 1 : 0;
                if (ref != fast) {
                    differences++;
                    assertTrue(rf[i] != 0 || rd[i] != 0, name + "[" + i + "]: Ω_f = Ω_D = 0 in the reference, but the fast"
                            + " path has Ω_f=" + ff[i] + " > α·Ω_D=" + ALPHA * fd[i] + " (rounding noise selected)");
                    double gap = Math.abs(rf[i] - (double) ALPHA * rd[i]);
                    double size = Math.max(Math.abs(rf[i]), Math.abs((double) ALPHA * rd[i]));
                    assertTrue(gap <= 1e-6 * size, name + "[" + i + "]: Ω_f=" + rf[i] + " Ω_D=" + rd[i]
                            + " is selected by one algorithm only and is no tie (gap " + gap / size + " relative)");
                }
            }
        }
        System.out.printf("auto vs im2col: %d of %d parameters selected by im2col, %d differ (ties); "
                + "max |ΔΩ_D| / max|Ω_D| per tensor %.2e%n", selected, refD.elementCount(), differences, worstOmegaRel);
        assertTrue(selected > 1000, "the test must select a meaningful set, got " + selected);
        assertTrue(worstOmegaRel < 1e-4, "Ω_D differs by " + worstOmegaRel);
        assertEquals(refD.parameterNames(), fastD.parameterNames());
    }
}
