package org.lfssd.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lfssd.eval.JsonTree.doubles;
import static org.lfssd.eval.JsonTree.floats;
import static org.lfssd.eval.JsonTree.ints;
import static org.lfssd.eval.JsonTree.list;
import static org.lfssd.eval.JsonTree.num;
import static org.lfssd.eval.JsonTree.obj;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics against the official formulas run by {@code src/test/python/make_eval_fixtures.py} with
 * Debian's torch and scikit-learn (fixture {@code fixtures/eval/metrics.json}).
 */
class MetricsParityTest {
    private static Map<String, Object> fixture;

    @BeforeAll
    static void load() throws IOException {
        fixture = obj(JsonTree.resource("/fixtures/eval/metrics.json"));
    }

    private static Logits logits(Map<String, Object> c, String key, int classes) {
        float[] v = floats(c, key);
        return new Logits(v, v.length / classes, classes, null);
    }

    @Test
    void membershipInferenceMatchesSklearnOnEveryFixture() {
        List<Object> cases = list(fixture.get("mia"));
        assertTrue(cases.size() >= 3, "at least three MIA fixtures");
        for (Object o : cases) {
            Map<String, Object> c = obj(o);
            String name = (String) c.get("name");
            // The solver alone, on sklearn's own (float32 torch) entropies: the exact optimum of sklearn's
            // objective (solved independently in the script by a four-parameter Newton), ...
            MembershipInference.Result onSklearnFeatures = MembershipInference.attack(doubles(c, "retain_entropy"),
                    doubles(c, "test_entropy"), doubles(c, "forget_entropy"));
            assertEquals(num(c, "coef"), onSklearnFeatures.classifier().coef(), 1e-9, name + " coef");
            assertEquals(num(c, "intercept"), onSklearnFeatures.classifier().intercept(), 1e-9, name + " intercept");
            // ... which sklearn's lbfgs, stopped by its ftol, reaches to a few 1e-6 ...
            assertEquals(num(c, "coef_default"), onSklearnFeatures.classifier().coef(), 1e-5, name + " sklearn coef");
            assertEquals(num(c, "intercept_default"), onSklearnFeatures.classifier().intercept(), 1e-5,
                    name + " sklearn intercept");
            // ... and the MIA figure itself, the fraction of forget samples predicted member, is sklearn's.
            assertEquals(num(c, "mia"), onSklearnFeatures.memberFraction(), 1e-6, name + " MIA (official sklearn defaults)");
            assertEquals(num(c, "mia_exact_fit"), onSklearnFeatures.memberFraction(), 1e-6, name + " MIA (tight sklearn fit)");

            // End to end from the logits: our double-precision entropies agree with torch's float32 ones,
            // and the attack reaches the same figure.
            int classes = (int) num(c, "classes");
            Logits retain = logits(c, "retain_logits", classes);
            Logits test = logits(c, "test_logits", classes);
            Logits forget = logits(c, "forget_logits", classes);
            double[] h = MembershipInference.entropies(retain);
            double[] ref = doubles(c, "retain_entropy");
            for (int i = 0; i < h.length; i++) {
                assertEquals(ref[i], h[i], 2e-6, name + " entropy " + i);
            }
            MembershipInference.Result fromLogits = MembershipInference.attack(retain, test, forget);
            assertEquals(num(c, "mia"), fromLogits.memberFraction(), 1e-6, name + " MIA from logits");
            assertEquals(num(c, "coef"), fromLogits.classifier().coef(), 1e-5, name + " coef from logits");
        }
    }

    @Test
    void zrfAndActivationDistanceMatchTheOfficialFormulas() {
        for (Object o : list(fixture.get("zrf"))) {
            Map<String, Object> c = obj(o);
            int classes = (int) num(c, "classes");
            Logits model = logits(c, "model_logits", classes);
            Logits teacher = logits(c, "teacher_logits", classes);
            assertEquals(num(c, "zrf_official"), ZeroRetrainForgetting.score(model, teacher, ZrfFormula.OFFICIAL_CODE), 1e-6);
            double js = ZeroRetrainForgetting.score(model, teacher, ZrfFormula.JENSEN_SHANNON);
            assertEquals(num(c, "zrf_jensen_shannon"), js, 1e-9);
            assertTrue(js >= 1 - Math.log(2) && js <= 1, "true JS is within [0, ln 2]: " + js);
            assertEquals(num(c, "activation_distance"), ActivationDistance.between(model, teacher), 1e-6);
        }
    }

    @Test
    void accuracyBothWays() {
        for (Object o : list(fixture.get("accuracy"))) {
            Map<String, Object> c = obj(o);
            int classes = (int) num(c, "classes");
            float[] v = floats(c, "logits");
            Logits l = new Logits(v, v.length / classes, classes, ints(c, "labels"));
            assertEquals(num(c, "official_batch_mean"), Accuracy.officialBatchMean(l, (int) num(c, "batch")), 1e-7);
            assertEquals(num(c, "official_batch_mean"), Accuracy.of(l, AccuracyMode.OFFICIAL_BATCH_MEAN), 1e-7);
            assertEquals(num(c, "sample_weighted"), Accuracy.of(l).overall(), 1e-7);
            assertEquals(num(c, "sample_weighted"), Accuracy.of(l, AccuracyMode.SAMPLE_WEIGHTED), 1e-7);
        }
    }

    @Test
    void accuracyCountsPerClassAndTheBatchMeanOverweightsAShortLastBatch() {
        // Samples 0..2 (one batch of 2, one of 1): batch 1 all right, batch 2 wrong.
        float[] z = {1, 0, 0, 1, 1, 0};
        Logits l = new Logits(z, 3, 2, new int[] {0, 1, 1});
        Accuracy a = Accuracy.of(l);
        assertEquals(1.0, a.ofClass(0));
        assertEquals(0.5, a.ofClass(1));
        assertEquals(2 / 3.0, a.overall(), 1e-15);
        assertEquals(0.5, Accuracy.officialBatchMean(l, 2), 1e-15);
    }

    @Test
    void logisticRegressionSolvesTheSymmetricMultinomialProblem() {
        double[] x = {0.1, 0.2, 0.3, 1.5, 1.7, 0.25, 2.0};
        int[] y = {1, 1, 1, 0, 0, 0, 0};
        BalancedLogisticRegression r = BalancedLogisticRegression.fit(x, y, 1.0);
        // Stationarity of C·Σ w_i·loss_i + d²/4 with d = 2·coef, β = 2·intercept.
        double[] w = {7 / 8.0, 7 / 6.0};
        double gd = r.coef(); // d/2 = ∂(d²/4)/∂d
        double gb = 0;
        for (int i = 0; i < x.length; i++) {
            double s = 1 / (1 + Math.exp(-(2 * r.coef() * x[i] + 2 * r.intercept())));
            gd += w[y[i]] * (s - y[i]) * x[i];
            gb += w[y[i]] * (s - y[i]);
        }
        assertEquals(0, gd, 1e-12);
        assertEquals(0, gb, 1e-12);
        assertTrue(r.coef() < 0, "low entropy means member");
    }
}
