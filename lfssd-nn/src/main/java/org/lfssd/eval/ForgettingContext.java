package org.lfssd.eval;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.lfssd.data.Batch;
import org.lfssd.data.Dataset;
import org.lfssd.data.TransformedBatches;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/**
 * Everything a {@link ForgettingMethod} may use for one request.
 *
 * @param original       the trained model; read its weights, never modify them
 * @param factory        builds fresh models of the same architecture
 * @param split          the forgetting request's data sets
 * @param batchSize      batch size for importances and evaluation (the papers: 64)
 * @param seed           this run's seed (initialisation and shuffling of retrain/finetune)
 * @param importances    the shared Ω_D cache
 * @param inputTransform applied to every batch's images before the model sees them (e.g. a resize to 224), or null
 */
public record ForgettingContext(Module original, ModelFactory factory, ForgettingSplit split, int batchSize, long seed,
                                ImportanceCache importances, UnaryOperator<Tensor> inputTransform) {

    /**
     * Checks that nothing required is missing.
     *
     * @param original       the trained model; read its weights, never modify them
     * @param factory        builds fresh models of the same architecture
     * @param split          the forgetting request's data sets
     * @param batchSize      batch size for importances and evaluation (the papers: 64)
     * @param seed           this run's seed (initialisation and shuffling of retrain/finetune)
     * @param importances    the shared Ω_D cache
     * @param inputTransform applied to every batch's images before the model sees them (e.g. a resize to 224), or null
     */
    public ForgettingContext {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(importances, "importances");
        if (batchSize < 1) {
            throw new IllegalArgumentException("ForgettingContext: batch size must be >= 1, got " + batchSize);
        }
    }

    /**
     * A new model holding the original's parameters and buffers (strict load: the factory must match).
     *
     * @return a fresh model from the factory with the original's state dict loaded
     */
    public Module copyOfOriginal() {
        Module copy = factory.create(new SplittableRandom(0));
        copy.loadStateDict(original.stateDict(), true);
        return copy;
    }

    /**
     * {@code data} in consecutive batches of {@link #batchSize()} in its order, transformed on the fly.
     *
     * @param data the data set
     * @return its batches, with {@link #inputTransform()} applied to each batch's images if it is not null
     */
    public List<Batch> batches(Dataset data) {
        return TransformedBatches.of(data.batches(batchSize), inputTransform);
    }
}
