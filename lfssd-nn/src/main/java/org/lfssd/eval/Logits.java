package org.lfssd.eval;

import java.util.function.UnaryOperator;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batch;
import org.lfssd.data.Dataset;
import org.lfssd.data.TransformedBatches;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * A model's pre-softmax outputs on a data set, row-major {@code [n, classes]}, with the data set's labels.
 * Every metric in this package is computed from these, so a model is run once per data set.
 *
 * @param values  {@code n·classes} logits, sample-major
 * @param n       samples
 * @param classes logits per sample
 * @param labels  the label of each sample (not copied)
 */
public record Logits(float[] values, int n, int classes, int[] labels) {

    /**
     * Checks the sizes.
     *
     * @param values  {@code n·classes} logits, sample-major
     * @param n       samples
     * @param classes logits per sample
     * @param labels  the label of each sample (not copied)
     */
    public Logits {
        if (n < 0 || classes < 1 || values.length != n * classes || (labels != null && labels.length != n)) {
            throw new IllegalArgumentException("Logits: " + values.length + " values and " + (labels == null ? 0 : labels.length)
                    + " labels for " + n + " samples x " + classes + " classes");
        }
    }

    /**
     * Runs {@code model} on {@code data} in batches of {@code batchSize} without recording gradients.
     *
     * @param model     the model; run under no-grad
     * @param data      the samples, whose labels are kept
     * @param batchSize samples per forward pass
     * @param evalMode  true for eval mode (BatchNorm running statistics, no dropout), as every official metric
     *                  except the ZRF teacher uses; false for training mode (batch statistics). The model's
     *                  mode is restored afterwards. In training mode BatchNorm also updates its running
     *                  statistics, as in PyTorch.
     * @param transform applied to each batch's images first (e.g. a resize to 224), or null
     * @return the logits {@code [data.size(), classes]} with the data set's labels
     * @throws IllegalArgumentException if {@code data} is empty
     * @throws IllegalStateException if the model's output is not {@code [batch, classes]}
     */
    @SuppressWarnings("try") // the grad-mode scope is used only for its effect
    public static Logits of(Module model, Dataset data, int batchSize, boolean evalMode, UnaryOperator<Tensor> transform) {
        boolean wasTraining = model.isTraining();
        model.train(!evalMode);
        float[] out = null;
        int classes = -1;
        int row = 0;
        try (GradMode g = GradMode.disabled()) {
            for (Batch b : TransformedBatches.of(data.batches(batchSize), transform)) {
                Tensor z = model.forward(Var.constant(b.images())).value();
                if (z.dim() != 2 || z.size(0) != b.size()) {
                    throw new IllegalStateException("Logits.of: the model returned shape " + Shapes.str(z.shape())
                            + " for a batch of " + b.size() + "; expected [" + b.size() + ", classes]");
                }
                if (out == null) {
                    classes = z.size(1);
                    out = new float[data.size() * classes];
                }
                System.arraycopy(z.data(), z.offset(), out, row * classes, b.size() * classes);
                row += b.size();
            }
        } finally {
            model.train(wasTraining);
        }
        if (out == null) {
            throw new IllegalArgumentException("Logits.of: empty data set");
        }
        return new Logits(out, data.size(), classes, data.labels());
    }

    /**
     * Eval-mode logits without an input transform.
     *
     * @param model     the model
     * @param data      the samples
     * @param batchSize samples per forward pass
     * @return the logits with the data set's labels
     */
    public static Logits of(Module model, Dataset data, int batchSize) {
        return of(model, data, batchSize, true, null);
    }

    /**
     * The logit of sample {@code i}, class {@code c}.
     *
     * @param i the sample
     * @param c the class
     * @return {@code values[i·classes + c]}
     */
    public float get(int i, int c) {
        return values[i * classes + c];
    }

    /**
     * The predicted class of sample {@code i}: the first index of the largest logit (as {@code torch.max}).
     *
     * @param i the sample
     * @return the predicted class in {@code [0, classes)}
     */
    public int argmax(int i) {
        int base = i * classes;
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (values[base + c] > values[base + best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The softmax of sample {@code i} in double precision (max-shifted, so it never overflows).
     *
     * @param i the sample
     * @return a new array of {@code classes} probabilities
     */
    public double[] softmax(int i) {
        double[] p = logSoftmax(i);
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(p[c]);
        }
        return p;
    }

    /**
     * The log-softmax of sample {@code i} in double precision.
     *
     * @param i the sample
     * @return a new array of {@code classes} log-probabilities
     */
    public double[] logSoftmax(int i) {
        int base = i * classes;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, values[base + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(values[base + c] - max);
        }
        double logSum = max + Math.log(sum);
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            out[c] = values[base + c] - logSum;
        }
        return out;
    }
}
