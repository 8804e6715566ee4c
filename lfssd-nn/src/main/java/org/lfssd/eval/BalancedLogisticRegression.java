package org.lfssd.eval;

/**
 * The membership-inference classifier of the official code, solved exactly: scikit-learn's
 * {@code LogisticRegression(class_weight="balanced", C=1, solver="lbfgs", multi_class="multinomial")} on one
 * feature and two classes.
 *
 * <p>sklearn minimises {@code C·Σ w_i·(−log softmax(W x_i + b)_{y_i}) + ½‖W‖²} with one weight row and one
 * intercept per class and no penalty on the intercepts; "balanced" gives every sample of class {@code k} the
 * weight {@code n / (2·n_k)}. With two classes only the differences {@code d = w₁ − w₀} and
 * {@code β = b₁ − b₀} affect the fit; for a given {@code d} the penalty is smallest at {@code w₁ = −w₀ = d/2},
 * where it is {@code d²/4}. So the problem is the binary logistic regression
 * {@code Σ w_i·log(1 + exp(−s_i(d·x_i + β))) + d²/(4C)}, which is strictly convex in (d, β); it is solved
 * by Newton's method with a backtracking line search to machine precision. sklearn reports the class-1 row,
 * so {@link #coef()} is {@code d/2} and {@link #intercept()} is {@code β/2} (its intercepts stay symmetric
 * from their zero start); a sample is predicted member (1) when {@code coef·x + intercept > 0}.
 *
 * <p>sklearn stops lbfgs at its default tolerance, so its coefficients differ from this exact optimum in the
 * last digits; predictions agree unless a sample sits within that distance of the decision boundary.
 */
public final class BalancedLogisticRegression {
    private static final int MAX_ITERATIONS = 200;

    private final double coef;
    private final double intercept;
    private final int iterations;

    private BalancedLogisticRegression(double coef, double intercept, int iterations) {
        this.coef = coef;
        this.intercept = intercept;
        this.iterations = iterations;
    }

    /**
     * Fits the classifier to features {@code x} with labels {@code y} in {0, 1}, inverse regularisation
     * strength {@code c} (sklearn's {@code C}; the official code uses the default 1).
     *
     * @param x the one-dimensional feature of each sample
     * @param y the label of each sample, 0 or 1
     * @param c the inverse regularisation strength, {@code > 0}
     * @return the fitted classifier
     * @throws IllegalArgumentException if the arrays are empty or differ in length, {@code c} is not positive,
     *         a label is not 0 or 1, a feature is not finite, or only one label occurs
     */
    public static BalancedLogisticRegression fit(double[] x, int[] y, double c) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("BalancedLogisticRegression: " + x.length + " features for " + y.length + " labels");
        }
        if (!(c > 0)) {
            throw new IllegalArgumentException("BalancedLogisticRegression: C must be > 0, got " + c);
        }
        long ones = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException("BalancedLogisticRegression: label " + y[i] + " of sample " + i + " is not 0 or 1");
            }
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("BalancedLogisticRegression: feature " + i + " is " + x[i]);
            }
            ones += y[i];
        }
        if (ones == 0 || ones == y.length) {
            throw new IllegalArgumentException("BalancedLogisticRegression: needs samples of both classes, got " + ones
                    + " of " + y.length + " labelled 1");
        }
        double[] w = {x.length / (2.0 * (x.length - ones)), x.length / (2.0 * ones)};
        double penalty = 1 / (4 * c);
        double d = 0;
        double b = 0;
        double f = objective(x, y, w, penalty, d, b);
        int it = 0;
        for (; it < MAX_ITERATIONS; it++) {
            double gd = 2 * penalty * d;
            double gb = 0;
            double hdd = 2 * penalty;
            double hdb = 0;
            double hbb = 0;
            for (int i = 0; i < x.length; i++) {
                double z = d * x[i] + b;
                double s = sigmoid(z);
                double wi = w[y[i]];
                double r = wi * (s - y[i]);
                double h = wi * s * (1 - s);
                gd += r * x[i];
                gb += r;
                hdd += h * x[i] * x[i];
                hdb += h * x[i];
                hbb += h;
            }
            double det = hdd * hbb - hdb * hdb;
            double sd;
            double sb;
            if (det > 0 && hbb > 0) {
                sd = -(hbb * gd - hdb * gb) / det;
                sb = -(hdd * gb - hdb * gd) / det;
            } else {
                // The Hessian lost definiteness to rounding (all sigmoids saturated): fall back to a gradient step.
                sd = -gd;
                sb = -gb;
            }
            double slope = gd * sd + gb * sb;
            if (!(slope < 0)) {
                break; // no descent direction left: at the optimum to machine precision
            }
            double t = 1;
            double fNew = objective(x, y, w, penalty, d + t * sd, b + t * sb);
            // Near the optimum the decrease is below the objective's rounding, so Armijo cannot tell; there
            // the full Newton step is taken (quadratic convergence), the line search only guards big steps.
            boolean tiny = Math.abs(sd) <= 1e-7 * Math.max(1, Math.abs(d)) && Math.abs(sb) <= 1e-7 * Math.max(1, Math.abs(b));
            while (!tiny && fNew > f + 1e-4 * t * slope && t > 1e-20) {
                t /= 2;
                fNew = objective(x, y, w, penalty, d + t * sd, b + t * sb);
            }
            double nd = d + t * sd;
            double nb = b + t * sb;
            boolean stalled = nd == d && nb == b;
            d = nd;
            b = nb;
            boolean converged = Math.abs(t * sd) <= 1e-15 * Math.max(1, Math.abs(d))
                    && Math.abs(t * sb) <= 1e-15 * Math.max(1, Math.abs(b));
            f = fNew;
            if (stalled || converged) {
                it++;
                break;
            }
        }
        return new BalancedLogisticRegression(d / 2, b / 2, it);
    }

    private static double objective(double[] x, int[] y, double[] w, double penalty, double d, double b) {
        double f = penalty * d * d;
        for (int i = 0; i < x.length; i++) {
            double z = d * x[i] + b;
            // −log σ(z) for y = 1, −log(1 − σ(z)) = −log σ(−z) for y = 0, both as a stable softplus.
            f += w[y[i]] * softplus(y[i] == 1 ? -z : z);
        }
        return f;
    }

    private static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /**
     * sklearn's {@code coef_[0][0]}: half the log-odds slope.
     *
     * @return the fitted coefficient
     */
    public double coef() {
        return coef;
    }

    /**
     * sklearn's {@code intercept_[0]}: half the log-odds offset.
     *
     * @return the fitted intercept
     */
    public double intercept() {
        return intercept;
    }

    /**
     * Newton iterations taken.
     *
     * @return the number of Newton iterations the fit took
     */
    public int iterations() {
        return iterations;
    }

    /**
     * sklearn's {@code predict}: 1 when {@code coef·x + intercept > 0}, else 0.
     *
     * @param x the feature
     * @return the predicted label, 0 or 1
     */
    public int predict(double x) {
        return coef * x + intercept > 0 ? 1 : 0;
    }

    @Override
    public String toString() {
        return "BalancedLogisticRegression[coef=" + coef + ", intercept=" + intercept + ", iterations=" + iterations + "]";
    }
}
