package org.lfssd.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.lfssd.data.Batches;
import org.lfssd.data.Dataset;
import org.lfssd.data.Shuffle;
import org.lfssd.eval.Accuracy;
import org.lfssd.nn.Checkpoints;
import org.lfssd.nn.Module;
import org.lfssd.optim.SGD;
import org.lfssd.optim.TrainStep;
import org.lfssd.unlearn.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lfssd train}: a small model for baselines and for users without a checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a data source (SGD, momentum 0.9, weight decay 5e-4, seeded shuffles) and save"
                + " it with its model and preprocessing recorded.")
final class TrainCommand extends BaseCommand {
    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "Passes over the data (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.05", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seeds the initial weights and the shuffles.")
    long seed;

    @Option(names = "--dtype", paramLabel = "T", defaultValue = "f32", description = "Stored float type: f32, f16 or bf16.")
    String dtype;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The checkpoint to write (.safetensors).")
    Path output;

    @Override
    Map<String, Object> run() throws Exception {
        if (epochs < 0 || batchSize < 1 || !(lr > 0)) {
            throw new InputRejectedException("train: need --epochs >= 0, --batch-size >= 1, --lr > 0");
        }
        OutputFiles outputs = new OutputFiles(common.force);
        outputs.plan(output);
        var fileType = Checkpoint.parseDtype(dtype);
        long t0 = System.nanoTime();
        DataOptions.Prepared d = data.load();
        String arch = model.arch != null ? model.arch : "resnet18";
        ModelSpec spec = new ModelSpec(arch, model.classes != null ? model.classes : d.numClasses(),
                d.preprocessing().channels(), model.widthDivisor != null ? model.widthDivisor : 1);
        Module net = spec.create(seed);
        Checkpoint.requireRuns(net, d.train(), spec.toString());
        text().printf(Locale.ROOT, "training %s on %s: %,d images, %d epochs, batch %d, lr %s%n", spec, data.source,
                d.train().size(), epochs, batchSize, lr);
        ProgressListener progress = progress();
        SGD sgd = new SGD(net.namedParameters().values(), lr, 0.9, 5e-4, false);
        SplittableRandom shuffle = new SplittableRandom(seed + 1);
        double lastLoss = Double.NaN;
        net.train();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Dataset epochData = d.train().select(Shuffle.permutation(d.train().size(), shuffle));
            Batches batches = epochData.batches(batchSize);
            String phase = "train epoch " + epoch + "/" + epochs;
            progress.onStart(phase, batches.size());
            long e0 = System.nanoTime();
            double sum = 0;
            long seen = 0;
            int step = 0;
            for (var b : batches) {
                sum += TrainStep.crossEntropy(net, sgd, b.images(), b.labels());
                seen += b.size();
                progress.onProgress(phase, ++step, batches.size(), seen);
            }
            progress.onFinish(phase, batches.size(), seen, System.nanoTime() - e0);
            lastLoss = sum / step;
            text().printf(Locale.ROOT, "epoch %d/%d: mean loss %.4f (%.1f s)%n", epoch, epochs, lastLoss, (System.nanoTime() - e0) / 1e9);
        }
        net.eval();
        double testAcc = Accuracy.of(Evaluation.logits(net, d.test(), 256, progress, "evaluation (test set)")).overall();
        text().printf(Locale.ROOT, "test accuracy %.2f%% on %,d images%n", 100 * testAcc, d.test().size());
        Map<String, String> meta = Checkpoint.toolMetadata(spec, d, data.source);
        meta.put("lfssd.trained", String.format(Locale.ROOT, "epochs=%d batch=%d lr=%s seed=%d images=%d", epochs, batchSize, lr,
                seed, d.train().size()));
        outputs.write(output, p -> Checkpoints.save(net, p, fileType, meta));
        text().printf("wrote %s%n", output);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("output", output.toString());
        result.put("sha256", Sha256.of(output));
        result.put("model", spec.toMap());
        result.put("data", data.describe(d));
        result.put("epochs", epochs);
        result.put("final_loss", lastLoss);
        result.put("test_accuracy", testAcc);
        result.put("seconds", (System.nanoTime() - t0) / 1e9);
        return result;
    }

}
