package org.lfssd.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lfssd.autograd.ShardedBackward;
import org.lfssd.data.Batches;
import org.lfssd.tensor.Tensor;

/**
 * Ω of a hand-set 2-layer perceptron against gradients written out analytically (in double) in this test,
 * for both methods and both reductions.
 */
class HandComputedImportanceTest {
    // fc1: 3x2, fc2: 2x3. Values chosen so that no ReLU input is near 0 for any sample (checked below).
    static final double[][] W1 = {{1, -1}, {0.5, 2}, {-1, 0.5}};
    static final double[] B1 = {0.1, -0.3, 0.25};
    static final double[][] W2 = {{1, 0.5, -1}, {-0.5, 1, 2}};
    static final double[] B2 = {0.1, -0.2};
    static final double[][] X = {{1, 2}, {2, -1}, {-1, 0.7}, {0.5, 0.2}, {3, 1}};
    static final int[] Y = {0, 1, 1, 0, 1};
    /** Batches of 2: {0,1}, {2,3}, {4} — the last one short, as the reference allows. */
    static final int BATCH = 2;

    static TinyMlp model() {
        return new TinyMlp(flat(W1), toFloat(B1), flat(W2), toFloat(B2));
    }

    static Batches data() {
        return new Batches(Tensor.fromArray(flat(X), X.length, 2), Y, BATCH);
    }

    // ---------------------------------------------------------------- the analytic reference, in double

    /**
     * Gradient of the batch-mean loss over {@code samples} w.r.t. [W1 (row-major), b1, W2 (row-major), b2].
     * LFSSD: L = mean_k ||z_k||², dL/dz_k = 2 z_k / B. SSD: L = mean_k CE(z_k, y_k), dL/dz_k = (softmax(z_k) - e_y) / B.
     */
    static double[][] gradient(Method method, int... samples) {
        double[][] g = {new double[6], new double[3], new double[6], new double[2]};
        int batch = samples.length;
        for (int k : samples) {
            double[] a = new double[3];
            double[] h = new double[3];
            for (int j = 0; j < 3; j++) {
                a[j] = B1[j] + W1[j][0] * X[k][0] + W1[j][1] * X[k][1];
                assertTrue(Math.abs(a[j]) > 1e-3, "test data must keep ReLU inputs away from the kink");
                h[j] = Math.max(a[j], 0);
            }
            double[] z = new double[2];
            for (int i = 0; i < 2; i++) {
                z[i] = B2[i] + W2[i][0] * h[0] + W2[i][1] * h[1] + W2[i][2] * h[2];
            }
            double[] dz = new double[2];
            if (method == Method.LFSSD) {
                for (int i = 0; i < 2; i++) {
                    dz[i] = 2 * z[i] / batch;
                }
            } else {
                double m = Math.max(z[0], z[1]);
                double s = Math.exp(z[0] - m) + Math.exp(z[1] - m);
                for (int i = 0; i < 2; i++) {
                    dz[i] = (Math.exp(z[i] - m) / s - (Y[k] == i ? 1 : 0)) / batch;
                }
            }
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    g[2][i * 3 + j] += dz[i] * h[j];
                }
                g[3][i] += dz[i];
            }
            for (int j = 0; j < 3; j++) {
                double dh = dz[0] * W2[0][j] + dz[1] * W2[1][j];
                double da = a[j] > 0 ? dh : 0;
                g[0][j * 2] += da * X[k][0];
                g[0][j * 2 + 1] += da * X[k][1];
                g[1][j] += da;
            }
        }
        return g;
    }

    /** Mean over the given groups of |g| (LFSSD) or g² (SSD) of each group's batch-mean gradient. */
    static double[][] expected(Method method, List<int[]> groups) {
        double[][] omega = {new double[6], new double[3], new double[6], new double[2]};
        for (int[] group : groups) {
            double[][] g = gradient(method, group);
            for (int p = 0; p < 4; p++) {
                for (int e = 0; e < g[p].length; e++) {
                    omega[p][e] += method == Method.LFSSD ? Math.abs(g[p][e]) : g[p][e] * g[p][e];
                }
            }
        }
        for (double[] o : omega) {
            for (int e = 0; e < o.length; e++) {
                o[e] /= groups.size();
            }
        }
        return omega;
    }

    static final List<int[]> REFERENCE_GROUPS = List.of(new int[] {0, 1}, new int[] {2, 3}, new int[] {4});
    static final List<int[]> PER_SAMPLE_GROUPS = List.of(new int[] {0}, new int[] {1}, new int[] {2}, new int[] {3}, new int[] {4});

    // ---------------------------------------------------------------- tests

    @Test
    void lfssdReference() {
        check(Method.LFSSD, Reduction.REFERENCE, REFERENCE_GROUPS);
    }

    @Test
    void lfssdPerSample() {
        check(Method.LFSSD, Reduction.PER_SAMPLE, PER_SAMPLE_GROUPS);
    }

    @Test
    void ssdReference() {
        check(Method.SSD, Reduction.REFERENCE, REFERENCE_GROUPS);
    }

    @Test
    void ssdPerSample() {
        check(Method.SSD, Reduction.PER_SAMPLE, PER_SAMPLE_GROUPS);
    }

    private static void check(Method method, Reduction reduction, List<int[]> groups) {
        TinyMlp model = model();
        model.train();
        Importance omega = Unlearner.builder(method).reduction(reduction).build().importance(model, data());
        double[][] want = expected(method, groups);
        String[] names = {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"};
        assertEquals(List.of(names), List.copyOf(omega.parameterNames()));
        for (int p = 0; p < 4; p++) {
            float[] got = omega.get(names[p]).toArray();
            assertEquals(want[p].length, got.length);
            for (int e = 0; e < got.length; e++) {
                // float32 forward/backward against the exact double value: a few ulps of the operands.
                assertEquals(want[p][e], got[e], 1e-6 + 1e-5 * Math.abs(want[p][e]),
                        method + "/" + reduction + " " + names[p] + "[" + e + "]");
            }
        }
        assertEquals(5, omega.sampleCount());
        assertEquals(3, omega.batchCount());
        assertEquals(BATCH, omega.batchSize());
        assertEquals(method, omega.method());
        assertEquals(reduction, omega.reduction());
        // Eval mode during the pass, the caller's mode afterwards, no gradients left behind.
        assertFalse(model.sawTrainingMode);
        assertTrue(model.isTraining() && model.fc1.isTraining());
        model.namedParameters().values().forEach(p -> assertEquals(null, p.grad()));
        // One forward per shard: batches of 2, 2 and 1 samples in up to lfssd.shards shards each.
        int shards = ShardedBackward.configuredShards();
        int expectedCalls = 0;
        for (int[] group : groups) {
            expectedCalls += Math.min(shards, group.length);
        }
        assertEquals(expectedCalls, model.forwardCalls.get());
    }

    static float[] flat(double[][] m) {
        float[] out = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                out[i * m[i].length + j] = (float) m[i][j];
            }
        }
        return out;
    }

    static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
