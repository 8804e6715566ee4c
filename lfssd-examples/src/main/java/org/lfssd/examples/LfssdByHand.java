package org.lfssd.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batch;
import org.lfssd.data.Batches;
import org.lfssd.nn.Linear;
import org.lfssd.nn.Module;
import org.lfssd.nn.ReLU;
import org.lfssd.nn.Sequential;
import org.lfssd.tensor.Tensor;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Unlearner;

/**
 * LFSSD by hand on a two-layer MLP, step by step, then the same with the {@link Unlearner} (docs/TUTORIAL.md
 * shows this file in parts and its output whole; a test checks that the output there is what this prints).
 */
public final class LfssdByHand {
    private LfssdByHand() {}

    static final float ALPHA = 1.5f;
    static final float LAMBDA = 1f;

    /**
     * Prints every step.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the tutorial, printing to {@code out}; returns the dampened weights of both ways, by hand first. */
    static List<Map<String, Tensor>> run(PrintStream out) {
        // snippet-start model
        Module model = twoLayerMlp();
        out.println(model);   // the module tree, PyTorch style
        // snippet-end model

        // snippet-start data
        // D: four samples of two features, cut into batches of two in this order; D_f: the last sample.
        Tensor d = Tensor.fromArray(new float[] {1, 0, 0, 1, 1, 1, 2, -1}, 4, 2);
        Tensor forget = d.sliceBatch(3, 4);
        Batches batchesOfD = new Batches(d, null, 2);
        Batches batchesOfForget = new Batches(forget, null, 2);
        // snippet-end data

        out.println();
        out.println("Omega_D, batch by batch:");
        Map<String, Tensor> omegaD = importance(model, batchesOfD, out);
        out.println("Omega_f, batch by batch:");
        Map<String, Tensor> omegaF = importance(model, batchesOfForget, out);

        out.println("Selection (Omega_f > Omega_D * alpha, alpha = " + fmt(ALPHA) + ") and dampening (lambda = "
                + fmt(LAMBDA) + "):");
        out.println("  parameter     Omega_D   Omega_f     ratio  selected      beta     theta -> theta'");
        Map<String, Tensor> byHand = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> byHand.put(name, p.value().copy()));
        byHand.forEach((name, theta) -> dampen(name, theta, omegaF.get(name), omegaD.get(name), out));

        // snippet-start unlearner
        Module fresh = twoLayerMlp();
        Unlearner unlearner = Unlearner.lfssd().alpha(ALPHA).lambda(LAMBDA).build();
        Importance omegaDAgain = unlearner.importance(fresh, batchesOfD);
        DampeningReport report = unlearner.forget(fresh, batchesOfForget, omegaDAgain);
        // snippet-end unlearner

        out.println();
        out.println("The Unlearner: " + report.summary().replaceAll("; importance pass.*", ""));
        boolean same = true;
        for (Map.Entry<String, Tensor> e : byHand.entrySet()) {
            same &= Arrays.equals(e.getValue().toArray(), fresh.namedParameters().get(e.getKey()).value().toArray());
        }
        out.println("Its weights equal the hand-dampened ones bit for bit: " + same);
        Map<String, Tensor> viaUnlearner = new LinkedHashMap<>();
        fresh.namedParameters().forEach((name, p) -> viaUnlearner.put(name, p.value()));
        return List.of(byHand, viaUnlearner);
    }

    // snippet-start mlp
    /** Linear(2, 3) → ReLU → Linear(3, 2) with small hand-picked weights, loaded by their state-dict keys. */
    static Module twoLayerMlp() {
        SplittableRandom rng = new SplittableRandom(0);   // initial weights, replaced below
        Module model = new Sequential(new Linear(2, 3, rng), new ReLU(), new Linear(3, 2, rng));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        weights.put("0.weight", Tensor.fromArray(new float[] {1, -1, 0.5f, 2, -1, 0.5f}, 3, 2));
        weights.put("0.bias", Tensor.fromArray(new float[] {0, 0.5f, 1}, 3));
        weights.put("2.weight", Tensor.fromArray(new float[] {1, 0, -1, 0.5f, 1, 0}, 2, 3));
        weights.put("2.bias", Tensor.fromArray(new float[] {0, 0.25f}, 2));
        model.loadStateDict(weights, true);
        return model;
    }
    // snippet-end mlp

    // snippet-start importance
    /** Ω = (1/|B|) Σ_b |∇θ L_b|, L_b = (1/|b|) Σ_{x∈b} ‖f(x)‖², in eval mode, printing each step. */
    static Map<String, Tensor> importance(Module model, Batches batches, PrintStream out) {
        model.eval();
        Map<String, Tensor> sum = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> sum.put(name, Tensor.zeros(p.value().shape())));
        for (Batch b : batches) {
            model.clearGrads();
            Var logits = model.forward(Var.constant(b.images()));     // f(x), [|b|, 2]
            Var loss = F.meanSquaredNorm(logits);                      // L_b = mean ‖f(x)‖²
            loss.backward();                                           // ∇θ L_b into each p.grad()
            out.println("  x = " + rows(b.images()) + "  f(x) = " + rows(logits.value()) + "  L_b = " + fmt(loss.value().item()));
            model.namedParameters().forEach((name, p) -> {
                float[] g = p.grad().toArray();
                float[] s = sum.get(name).data();
                for (int i = 0; i < g.length; i++) {
                    s[i] += Math.abs(g[i]);                            // sum += |∇θ L_b|
                }
                out.println("    |grad| " + pad(name, 9) + " = " + list(g, true));
            });
        }
        for (Tensor t : sum.values()) {
            float[] s = t.data();
            for (int i = 0; i < s.length; i++) {
                s[i] /= batches.size();                                // Ω = sum / |B|
            }
        }
        out.println();
        return sum;
    }
    // snippet-end importance

    // snippet-start dampen
    /** Selection ω_f > ω_D·α, then θ ← θ·min(ω_D·λ/ω_f, 1), element by element. */
    static void dampen(String name, Tensor theta, Tensor omegaF, Tensor omegaD, PrintStream out) {
        float[] w = theta.data();
        for (int i = 0; i < w.length; i++) {
            float wf = omegaF.data()[i];
            float wd = omegaD.data()[i];
            boolean selected = wf > wd * ALPHA;
            float beta = selected ? Math.min(wd * LAMBDA / wf, 1f) : 1f;
            float before = w[i];
            if (selected) {
                w[i] *= beta;
            }
            out.println("  " + pad(name + "[" + i + "]", 12) + col(wd) + col(wf) + col(wf / wd)
                    + String.format(Locale.ROOT, "%10s", selected ? "yes" : "no")
                    + (selected ? col(beta) + col(before) + " -> " + fmt(w[i]) : ""));
        }
    }
    // snippet-end dampen

    private static String rows(Tensor t) {
        List<String> rows = new ArrayList<>();
        int cols = t.size(1);
        float[] v = t.toArray();
        for (int r = 0; r < t.size(0); r++) {
            rows.add(list(Arrays.copyOfRange(v, r * cols, (r + 1) * cols), false));
        }
        return String.join(" ", rows);
    }

    static String list(float[] values, boolean abs) {
        List<String> parts = new ArrayList<>();
        for (float v : values) {
            parts.add(fmt(abs ? Math.abs(v) : v));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    private static String col(float v) {
        return String.format(Locale.ROOT, "%10s", fmt(v));
    }

    private static String pad(String s, int width) {
        return String.format(Locale.ROOT, "%-" + width + "s", s);
    }

    static String fmt(float v) {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            return Float.toString(v);
        }
        return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
