package org.lfssd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.lfssd.autograd.F;
import org.lfssd.autograd.FrozenParameters;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.ShardedBackward;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;
import org.lfssd.models.ResNet18;
import org.lfssd.models.VisionTransformer;
import org.lfssd.nn.Module;
import org.lfssd.tensor.StepArena;
import org.lfssd.tensor.Tensor;

/**
 * One benchmark configuration of the LFSSD importance pass: a model in eval mode, a fixed random batch,
 * and one |grad| accumulator per parameter. It is the same work as the PyTorch peer's {@code lfssd} and
 * {@code fwd} modes ({@code /work/shared/peers/importance_bench.py}), with the peer's 100 classes.
 *
 * <p>Like {@code Unlearner.importance}, whose pass runs hundreds of batches through the same weights, the
 * workload holds its model's parameters in a {@link FrozenParameters} scope (unless created with
 * {@code frozen = false}), so forms derived from the weights are computed in the first step and reused by
 * the following ones; {@link #close} ends the scope.
 *
 * <p>Like that pass, a step computes the batch's gradient on fixed shards of the batch side by side
 * ({@link ShardedBackward}, {@code lfssd.shards}), and each shard's arrays are handed to its next step through
 * its own {@link StepArena}, unless {@code lfssd.arena=off} ({@code checked} as in the pass). The forward-only
 * mode uses one arena, opened on the thread of its first step.
 *
 * <p>Kept apart from the JMH class so that the profiling main and the benchmark time exactly the same code.
 */
final class ImportancePassWorkload implements AutoCloseable {
    /** The peer benchmark's default {@code --num-classes}. */
    static final int NUM_CLASSES = 100;

    private final String config;
    private final Module model;
    private final Var images;
    private final List<Var> parameters;
    private final List<Tensor> importances = new ArrayList<>();
    private final ShardedBackward shards;
    private FrozenParameters frozen;
    private StepArena arena;

    private ImportancePassWorkload(String config, Module model, int batch, int imageSize, long seed) {
        this.config = config;
        this.model = model;
        model.eval();
        SplittableRandom rng = new SplittableRandom(seed);
        this.images = Var.constant(Tensor.randn(rng, 0f, 1f, batch, 3, imageSize, imageSize));
        this.parameters = List.copyOf(model.namedParameters().values());
        for (Var p : parameters) {
            importances.add(Tensor.zeros(p.shape()));
        }
        this.shards = new ShardedBackward(parameters, batch, ShardedBackward.configuredShards());
    }

    /**
     * Builds a configuration by the peer's name: {@code resnet18_b64}, {@code resnet18_b16},
     * {@code vit32_b16}, {@code vit224_b16} (and any other {@code <model>_b<batch>} of these models).
     */
    static ImportancePassWorkload create(String config) {
        return create(config, true);
    }

    /** As {@link #create(String)}; {@code frozen} opens the scope over the model's parameters. */
    static ImportancePassWorkload create(String config, boolean frozen) {
        ImportancePassWorkload w = build(config);
        if (frozen) {
            List<Tensor> weights = new ArrayList<>();
            w.parameters.forEach(p -> weights.add(p.value()));
            w.frozen = FrozenParameters.of(weights);
        }
        return w;
    }

    private static ImportancePassWorkload build(String config) {
        int cut = config.lastIndexOf("_b");
        if (cut < 0) {
            throw new IllegalArgumentException("config '" + config + "' is not <resnet18|vit32|vit224>_b<batch>");
        }
        String modelName = config.substring(0, cut);
        int batch;
        try {
            batch = Integer.parseInt(config.substring(cut + 2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config '" + config + "' has no integer batch size after '_b'", e);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("config '" + config + "': batch must be >= 1");
        }
        SplittableRandom rng = new SplittableRandom(42);
        return switch (modelName) {
            case "resnet18" -> new ImportancePassWorkload(config, new ResNet18(NUM_CLASSES, rng), batch, 32, 7);
            case "vit32" -> new ImportancePassWorkload(config, VisionTransformer.tinyPatch4x32(NUM_CLASSES, rng), batch, 32, 7);
            case "vit224" -> new ImportancePassWorkload(config, VisionTransformer.tinyPatch16x224(NUM_CLASSES, rng), batch, 224, 7);
            default -> throw new IllegalArgumentException("config '" + config + "': unknown model '" + modelName
                    + "' (resnet18, vit32, vit224)");
        };
    }

    /** Ends the parameters' scope, if open (checking that they did not change), and the arena. */
    @Override
    public void close() {
        if (arena != null && StepArena.current() == arena) {
            arena.close();
        }
        // An arena opened by another thread (JMH may tear down elsewhere) ends with that thread.
        arena = null;
        shards.close();
        if (frozen != null) {
            frozen.close();
            frozen = null;
        }
    }

    String config() {
        return config;
    }

    int batch() {
        return images.size(0);
    }

    /** Elements per accumulation task, as the library's {@code GradientAccumulation.CHUNK}. */
    private static final int ACCUMULATION_CHUNK = 1 << 15;

    /**
     * One LFSSD importance step: forget the gradients, forward, loss = batch mean of the squared logit
     * norms, backward, and {@code imp += |grad|} for every parameter. Returns the loss.
     */
    float importanceStep() {
        int batch = batch();
        float[] losses = shards.run((s, start, end) -> {
            Var part = shards.shards() == 1 ? images : Var.constant(images.value().sliceBatch(start, end));
            return F.meanSquaredNorm(model.forward(part), batch);
        });
        float loss = 0f;
        for (float l : losses) {
            loss += l;
        }
        // As the library's pass (unlearn.GradientAccumulation, without its finiteness check): every
        // parameter cut into fixed chunks, the chunks of all parameters one parallel loop.
        int[] lengths = new int[parameters.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = shards.gradient(i).numel();
        }
        Parallel.forChunks(lengths, ACCUMULATION_CHUNK, (c, i, start, end) -> {
            Tensor g = shards.gradient(i);
            Tensor acc = importances.get(i);
            Kernels.provider().accumulateMap(UnaryOp.ABS, g.data(), g.offset() + start, acc.data(), acc.offset() + start,
                    end - start);
        });
        return loss;
    }

    /** The forward pass alone with grad mode disabled (the peer's {@code fwd}). Returns one logit. */
    float forwardOnly() {
        try (GradMode ignored = GradMode.disabled()) {
            Tensor logits = model.forward(images).value();
            return logits.data()[logits.offset()];
        }
    }

    /** Runs the named mode once: {@code lfssd} or {@code fwd}. */
    float run(String mode) {
        return switch (mode) {
            case "lfssd" -> importanceStep();
            case "fwd" -> {
                if (arena == null) {
                    arena = StepArena.openAsConfigured(); // stays null with lfssd.arena=off
                }
                float result = forwardOnly();
                if (arena != null) {
                    arena.reset();
                }
                yield result;
            }
            default -> throw new IllegalArgumentException("mode '" + mode + "' is not lfssd or fwd");
        };
    }
}
