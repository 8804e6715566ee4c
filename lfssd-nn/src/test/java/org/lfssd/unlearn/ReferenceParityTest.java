package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batches;
import org.lfssd.io.SafeTensors;
import org.lfssd.models.BasicBlock;
import org.lfssd.nn.AdaptiveAvgPool2d;
import org.lfssd.nn.BatchNorm2d;
import org.lfssd.nn.Conv2d;
import org.lfssd.nn.Linear;
import org.lfssd.nn.Module;
import org.lfssd.nn.ReLU;
import org.lfssd.nn.Sequential;
import org.lfssd.tensor.Tensor;

/**
 * Parity with the authors' PyTorch code on a small ResNet-like net in eval mode (fixture written by
 * {@code src/test/python/make_unlearn_fixtures.py}, torch 1.13): Ω_D and Ω_f for both methods and both
 * reductions, the adaptive α, and for the reference reduction the selected set and the dampened weights.
 */
class ReferenceParityTest {
    static Map<String, Tensor> fixture;
    static Map<String, String> meta;

    /** conv-BN-ReLU stem, an identity BasicBlock, a strided projection BasicBlock, pool, linear; ResNet18 names. */
    static final class SmallResNet extends Module {
        final Sequential conv1;
        final Sequential conv2;
        final Sequential conv3;
        final AdaptiveAvgPool2d pool;
        final Linear fc;

        SmallResNet() {
            SplittableRandom rng = new SplittableRandom(1); // overwritten by the fixture's weights
            conv1 = registerModule("conv1", new Sequential(new Conv2d(3, 8, 3, 1, 1, false, rng), new BatchNorm2d(8), new ReLU()));
            conv2 = registerModule("conv2_x", new Sequential(new BasicBlock(8, 8, 1, rng)));
            conv3 = registerModule("conv3_x", new Sequential(new BasicBlock(8, 16, 2, rng)));
            pool = registerModule("avg_pool", new AdaptiveAvgPool2d());
            fc = registerModule("fc", new Linear(16, 5, true, rng));
        }

        @Override
        public Var forward(Var x) {
            return fc.forward(F.flatten(pool.forward(conv3.forward(conv2.forward(conv1.forward(x)))), 1));
        }
    }

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        Path file = Path.of(ReferenceParityTest.class.getResource("/fixtures/unlearn/small_resnet.safetensors").toURI());
        fixture = SafeTensors.read(file);
        meta = SafeTensors.readMetadata(file);
    }

    static SmallResNet model() {
        SmallResNet m = new SmallResNet();
        Map<String, Var> params = m.namedParameters();
        Map<String, Tensor> buffers = m.namedBuffers();
        int loaded = 0;
        for (Map.Entry<String, Tensor> e : fixture.entrySet()) {
            if (!e.getKey().startsWith("model.")) {
                continue;
            }
            String name = e.getKey().substring("model.".length());
            Tensor target = params.containsKey(name) ? params.get(name).value() : buffers.get(name);
            target.copyFrom(e.getValue());
            loaded++;
        }
        assertEquals(params.size() + 2 * 6, loaded,  "every parameter and the running mean/var of the 6 BatchNorms come from the fixture");
        return m;
    }

    static int[] labels() {
        float[] y = fixture.get("data.y").toArray();
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (int) y[i];
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"LFSSD, REFERENCE", "SSD, REFERENCE", "LFSSD, PER_SAMPLE", "SSD, PER_SAMPLE"})
    void importancesSelectionAndDampeningMatchTorch(Method method, Reduction reduction) {
        int batch = Integer.parseInt(meta.get("batch_size"));
        int nFull = Integer.parseInt(meta.get("n_full"));
        int nForget = Integer.parseInt(meta.get("n_forget"));
        double alpha = Double.parseDouble(meta.get("alpha"));
        double lambda = Double.parseDouble(meta.get("lambda"));
        String prefix = method.name().toLowerCase() + "." + reduction.name().toLowerCase() + ".";
        Tensor x = fixture.get("data.x");
        int[] y = labels();
        Batches full = new Batches(x, y, batch);
        Batches forget = new Batches(x.sliceBatch(nFull - nForget, nFull), java.util.Arrays.copyOfRange(y, nFull - nForget, nFull), batch);

        SmallResNet m = model();
        Unlearner u = Unlearner.builder(method).reduction(reduction).alpha(alpha).lambda(lambda).build();
        Importance omegaD = u.importance(m, full);
        Importance omegaF = u.importance(m, forget);
        for (String n : omegaD.parameterNames()) {
            assertSums(fixture.get(prefix + "omega_D." + n), omegaD.get(n), prefix + "omega_D." + n);
            assertSums(fixture.get(prefix + "omega_f." + n), omegaF.get(n), prefix + "omega_f." + n);
        }

        double torchAlpha = Double.parseDouble(meta.get(prefix + "adaptive_alpha"));
        double javaAlpha = AdaptiveAlpha.alpha(omegaF.values(), omegaD.values(), AdaptiveAlpha.percentileLevel(nForget, nFull));
        assertEquals(torchAlpha, javaAlpha, 1e-4 * torchAlpha, "adaptive alpha");

        if (reduction != Reduction.REFERENCE) {
            return;
        }
        Map<String, float[]> before = UnlearnerPropertiesTest.weights(m);
        DampeningReport report = u.dampen(m, omegaF, omegaD);
        long torchSelected = Long.parseLong(meta.get(prefix + "selected"));
        long ties = 0;
        long agreeing = 0;
        for (String n : omegaD.parameterNames()) {
            float[] mask = fixture.get(prefix + "mask." + n).toArray();
            float[] refF = fixture.get(prefix + "omega_f." + n).toArray();
            float[] refD = fixture.get(prefix + "omega_D." + n).toArray();
            float[] damped = fixture.get(prefix + "dampened." + n).toArray();
            float[] f = omegaF.get(n).toArray();
            float[] d = omegaD.get(n).toArray();
            float[] after = m.namedParameters().get(n).value().toArray();
            for (int i = 0; i < mask.length; i++) {
                boolean javaSel = f[i] > d[i] * (float) alpha;
                boolean torchSel = mask[i] != 0;
                if (javaSel != torchSel) {
                    // Only an exact tie up to float noise may flip: Ω_f within 1e-4 of α·Ω_D.
                    double margin = Math.abs(refF[i] - alpha * refD[i]);
                    assertTrue(margin <= 1e-4 * Math.max(refF[i], alpha * refD[i]),
                            n + "[" + i + "] selected differently, margin " + margin);
                    ties++;
                    continue;
                }
                agreeing++;
                assertEquals(damped[i], after[i], 1e-4 * Math.abs(before.get(n)[i]) + 1e-9, n + "[" + i + "] dampened weight");
            }
        }
        assertTrue(ties <= 2, ties + " near-ties");
        assertEquals(torchSelected, report.totalSelected(), ties);
        assertTrue(report.totalSelected() > 0 && agreeing > 0);
    }

    /** The spec's criterion: per-tensor sums within 1e-4 relative, and every element close on the tensor's scale. */
    private static void assertSums(Tensor want, Tensor got, String what) {
        double ws = 0;
        double gs = 0;
        double scale = 0;
        float[] w = want.toArray();
        float[] g = got.toArray();
        assertEquals(w.length, g.length, what);
        for (int i = 0; i < w.length; i++) {
            ws += w[i];
            gs += g[i];
            scale = Math.max(scale, Math.abs(w[i]));
        }
        assertEquals(ws, gs, 1e-4 * Math.abs(ws) + 1e-30, what + " sum");
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], 1e-4 * scale + 1e-30, what + "[" + i + "]");
        }
    }
}
