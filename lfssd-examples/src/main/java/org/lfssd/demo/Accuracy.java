package org.lfssd.demo;

import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batch;
import org.lfssd.data.Dataset;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;
import org.lfssd.unlearn.ProgressListener;

/**
 * Per-class accuracy of a classifier, counted per sample (not the mean of per-batch accuracies that the
 * reference evaluation reports, which over-weights a short last batch).
 *
 * @param correct per class, the number of correctly classified samples
 * @param total   per class, the number of samples
 */
record Accuracy(long[] correct, long[] total) {

    /**
     * Evaluates {@code model} on {@code data} in eval mode without recording gradients; restores the mode.
     * Progress goes to {@code progress} as for importance passes (the default logging listener reports
     * passes longer than five seconds at INFO).
     */
    @SuppressWarnings("try") // the grad-mode scope is used only for its effect
    static Accuracy of(Module model, Dataset data, int batchSize, int numClasses, String phase,
                       ProgressListener progress) {
        long[] correct = new long[numClasses];
        long[] total = new long[numClasses];
        boolean wasTraining = model.isTraining();
        model.eval();
        long start = System.nanoTime();
        var batches = data.batches(batchSize);
        progress.onStart(phase, batches.size());
        long done = 0;
        long images = 0;
        try (GradMode g = GradMode.disabled()) {
            for (Batch b : batches) {
                Tensor logits = model.forward(Var.constant(b.images())).value();
                int classes = logits.size(1);
                float[] z = logits.data();
                int off = logits.offset();
                for (int i = 0; i < b.size(); i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (z[off + i * classes + c] > z[off + i * classes + best]) {
                            best = c;
                        }
                    }
                    int y = b.labels()[i];
                    total[y]++;
                    if (best == y) {
                        correct[y]++;
                    }
                }
                done++;
                images += b.size();
                progress.onProgress(phase, done, batches.size(), images);
            }
        } finally {
            model.train(wasTraining);
        }
        progress.onFinish(phase, done, images, System.nanoTime() - start);
        return new Accuracy(correct, total);
    }

    /** Accuracy in [0, 1] over the classes for which {@code include} is true; NaN if there are none. */
    double over(java.util.function.IntPredicate include) {
        long c = 0;
        long t = 0;
        for (int k = 0; k < total.length; k++) {
            if (include.test(k)) {
                c += correct[k];
                t += total[k];
            }
        }
        return t == 0 ? Double.NaN : c / (double) t;
    }

    double ofClass(int k) {
        return over(c -> c == k);
    }
}
