package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

/** The ASSD percentile rule against numpy ({@code np.nanpercentile}, default linear interpolation). */
class AdaptiveAlphaTest {

    @Test
    void percentileLevelFollowsTheNaturalLogRule() {
        // 1% forgotten: p = 100 - ln 2.
        assertEquals(100 - Math.log(2), AdaptiveAlpha.percentileLevel(1, 100), 1e-12);
        assertEquals(96.74190346197852, AdaptiveAlpha.percentileLevel(10, 40), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> AdaptiveAlpha.percentileLevel(0, 10));
        assertThrows(IllegalArgumentException.class, () -> AdaptiveAlpha.percentileLevel(11, 10));
    }

    @Test
    void alphaIsNumpysPercentileOfTheFiniteRatios() {
        // Split over two tensors; 0/0 (NaN) and 2/0 (inf) are dropped, 0/1 = 0 stays.
        Map<String, Tensor> forget = new LinkedHashMap<>();
        Map<String, Tensor> full = new LinkedHashMap<>();
        forget.put("a", Tensor.fromArray(new float[] {0, 1, 2, 3, 0.5f}, 5));
        full.put("a", Tensor.fromArray(new float[] {0, 0.5f, 0, 1, 2}, 5));
        forget.put("b", Tensor.fromArray(new float[] {4, 1e-3f, 7, 0, 2.5f}, 5));
        full.put("b", Tensor.fromArray(new float[] {0.25f, 1e-3f, 3, 1, 5}, 5));
        // Expected values printed by numpy 1.x: np.nanpercentile(r[np.isfinite(r)], p) with r = f / d in float32.
        assertEquals(15.369236065690448, AdaptiveAlpha.alpha(forget, full, 100 - Math.log(1 + 100 * 0.01)), 1e-12);
        assertEquals(13.81791530175348, AdaptiveAlpha.alpha(forget, full, 100 - Math.log(1 + 100 * 0.1)), 1e-12);
        assertEquals(13.035132150400456, AdaptiveAlpha.alpha(forget, full, AdaptiveAlpha.percentileLevel(10, 40)), 1e-12);
    }

    @Test
    void refusesWhenNoRatioIsFinite() {
        Map<String, Tensor> forget = Map.of("a", Tensor.fromArray(new float[] {1, 0}, 2));
        Map<String, Tensor> full = Map.of("a", Tensor.zeros(2));
        assertThrows(IllegalArgumentException.class, () -> AdaptiveAlpha.alpha(forget, full, 99));
    }
}
