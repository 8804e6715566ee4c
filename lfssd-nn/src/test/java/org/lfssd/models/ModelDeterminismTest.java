package org.lfssd.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/** Whole-model logits and parameter gradients are bit-identical with one and with two threads. */
class ModelDeterminismTest {

    private static Map<String, float[]> logitsAndGrads(Module model, Tensor x) {
        model.eval();
        model.clearGrads();
        Var logits = model.forward(Var.constant(x));
        F.meanSquaredNorm(logits).backward();
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("logits", logits.value().toArray());
        model.namedParameters().forEach((k, p) -> out.put(k, p.grad().toArray()));
        return out;
    }

    private static void assertThreadIndependent(Supplier<Module> build, Tensor x) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Map<String, float[]> one = logitsAndGrads(build.get(), x);
            Parallel.setThreads(2);
            Map<String, float[]> two = logitsAndGrads(build.get(), x);
            one.forEach((k, v) -> assertArrayEquals(v, two.get(k), k));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void reducedResNet18() {
        assertThreadIndependent(() -> new ResNet18(10, 3, 16, new SplittableRandom(31)),
                Tensor.randn(new SplittableRandom(32), 0f, 1f, 4, 3, 16, 16));
    }

    @Test
    void reducedViT() {
        assertThreadIndependent(() -> new VisionTransformer(ViTConfig.tiny(16, 4, 10).withSize(48, 2, 3), new SplittableRandom(33)),
                Tensor.randn(new SplittableRandom(34), 0f, 1f, 4, 3, 16, 16));
    }
}
