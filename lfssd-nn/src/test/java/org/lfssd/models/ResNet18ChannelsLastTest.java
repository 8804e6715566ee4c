package org.lfssd.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/**
 * ResNet18's eval forward keeps activations channels-last between its blocks; running the same modules one
 * by one in NCHW ({@code conv1}, {@code conv2_x..conv5_x}, {@code avg_pool}, {@code fc}, as the training-mode
 * path does) gives the same logits and convolution/Linear gradients bit for bit, and the BatchNorm gamma/beta
 * gradients (sums in another order) to rounding.
 */
class ResNet18ChannelsLastTest {

    private static Map<String, float[]> logitsAndGrads(ResNet18 model, Tensor x, boolean moduleByModule) {
        model.clearGrads();
        Var logits;
        if (moduleByModule) {
            Map<String, Module> c = model.children();
            Var h = c.get("conv1").forward(Var.constant(x));
            for (int s = 2; s <= 5; s++) {
                h = c.get("conv" + s + "_x").forward(h);
            }
            logits = c.get("fc").forward(F.flatten(c.get("avg_pool").forward(h), 1));
        } else {
            logits = model.forward(Var.constant(x));
        }
        F.meanSquaredNorm(logits).backward();
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("logits", logits.value().toArray());
        model.namedParameters().forEach((k, p) -> out.put(k, p.grad().toArray()));
        return out;
    }

    @ParameterizedTest(name = "width divisor {0}, {1}x{1}")
    @CsvSource({"2, 8", "16, 10"})
    void sameValuesAsTheModuleByModuleNchwPath(int widthDivisor, int size) {
        ResNet18 model = new ResNet18(10, 3, widthDivisor, new SplittableRandom(7));
        model.eval();
        Tensor x = Tensor.randn(new SplittableRandom(8), 0f, 1f, 2, 3, size, size);
        Map<String, float[]> want = logitsAndGrads(model, x, true);
        Map<String, float[]> got = logitsAndGrads(model, x, false);
        int batchNorms = 0;
        for (Map.Entry<String, float[]> e : want.entrySet()) {
            String k = e.getKey();
            float[] a = e.getValue();
            float[] b = got.get(k);
            boolean batchNormParameter = a.length > 0 && (k.endsWith(".bias") || k.endsWith(".weight"))
                    && !k.startsWith("fc") && model.namedParameters().get(k).value().dim() == 1;
            if (!batchNormParameter) {
                assertArrayEquals(a, b, k);
                continue;
            }
            batchNorms++;
            double scale = 0;
            for (float v : a) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= 1e-5 * scale + 1e-12, k + "[" + i + "] " + a[i] + " vs " + b[i]);
            }
        }
        assertTrue(batchNorms == 2 * (1 + 8 * 2 + 3), "every BatchNorm's gamma and beta compared, got " + batchNorms);
    }
}
