package org.lfssd.autograd;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.lfssd.tensor.Tensor;

/**
 * Checks an op's hand-written backward against central differences.
 *
 * <p>The scalar probed is {@code L = sum_j w_j * f(x)_j} with fixed random weights {@code w}, so every
 * output element matters and no two symmetric errors cancel. The analytic gradient comes from one
 * {@code backward(w)}. The numeric one perturbs each input element by {@code ±h} (in float, the op's
 * precision), evaluates L in double from the float outputs, and takes {@code (L+ - L-) / (2h)} in double.
 * An element passes when {@code |analytic - numeric| <= atol + rtol * |numeric|}.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final double DEFAULT_H = 1e-2;
    public static final double DEFAULT_ATOL = 2e-3;
    public static final double DEFAULT_RTOL = 1e-2;

    /** Checks the gradient with respect to every input, with the default step and tolerances. */
    public static void check(String name, Function<Var[], Var> f, Tensor... inputs) {
        check(name, f, DEFAULT_H, DEFAULT_ATOL, DEFAULT_RTOL, inputs);
    }

    public static void check(String name, Function<Var[], Var> f, double h, double atol, double rtol, Tensor... inputs) {
        Var[] vars = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = Var.param(inputs[i].copy());
        }
        Var out = f.apply(vars);
        Tensor w = Tensor.zeros(out.shape());
        SplittableRandom rng = new SplittableRandom(12345);
        float[] wd = w.data();
        for (int j = 0; j < wd.length; j++) {
            wd[j] = (float) (rng.nextDouble() * 2 - 1);
        }
        out.backward(w);

        for (int i = 0; i < inputs.length; i++) {
            Tensor analytic = vars[i].grad();
            float[] x = vars[i].value().data();
            int off = vars[i].value().offset();
            for (int e = 0; e < vars[i].value().numel(); e++) {
                float orig = x[off + e];
                float up = (float) (orig + h);
                float down = (float) (orig - h);
                x[off + e] = up;
                double lUp = weighted(f, vars, w);
                x[off + e] = down;
                double lDown = weighted(f, vars, w);
                x[off + e] = orig;
                double numeric = (lUp - lDown) / ((double) up - (double) down);
                double a = analytic == null ? 0.0 : analytic.data()[analytic.offset() + e];
                if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
                    fail(name + ": d/d(input " + i + ")[" + e + "] analytic " + a + " vs numeric " + numeric
                            + " (|diff| " + Math.abs(a - numeric) + ")");
                }
            }
        }
    }

    @SuppressWarnings("try") // the scope object is only opened and closed
    private static double weighted(Function<Var[], Var> f, Var[] vars, Tensor w) {
        try (GradMode g = GradMode.disabled()) {
            Tensor out = f.apply(vars).value();
            double s = 0;
            float[] o = out.data();
            for (int j = 0; j < out.numel(); j++) {
                s += (double) w.data()[j] * o[out.offset() + j];
            }
            return s;
        }
    }
}
