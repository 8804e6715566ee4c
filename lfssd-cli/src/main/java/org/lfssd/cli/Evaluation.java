package org.lfssd.cli;

import java.util.stream.IntStream;
import org.lfssd.data.Dataset;
import org.lfssd.eval.Logits;
import org.lfssd.nn.Module;
import org.lfssd.unlearn.ProgressListener;

/** Eval-mode logits of a model on a data set, with progress: the set is run in chunks of a few batches. */
final class Evaluation {
    private static final int BATCHES_PER_CHUNK = 4;

    private Evaluation() {}

    static Logits logits(Module model, Dataset data, int batchSize, ProgressListener progress, String phase) {
        int n = data.size();
        long totalBatches = (n + batchSize - 1) / batchSize;
        progress.onStart(phase, totalBatches);
        long t0 = System.nanoTime();
        float[] values = null;
        int classes = 0;
        int chunk = batchSize * BATCHES_PER_CHUNK;
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            Dataset part = data.select(IntStream.range(start, end).toArray());
            Logits l = Logits.of(model, part, batchSize);
            if (values == null) {
                classes = l.classes();
                values = new float[n * classes];
            }
            System.arraycopy(l.values(), 0, values, start * classes, l.values().length);
            progress.onProgress(phase, (end + batchSize - 1) / batchSize, totalBatches, end);
        }
        if (values == null) {
            throw new InputRejectedException(phase + ": no images to evaluate");
        }
        progress.onFinish(phase, totalBatches, n, System.nanoTime() - t0);
        return new Logits(values, n, classes, data.labels());
    }
}
