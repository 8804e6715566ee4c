package org.lfssd.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.lfssd.data.Dataset;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Unlearner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lfssd importance}: Ω_D over the training set (or Ω_f over a forget set), saved with its provenance. */
@Command(name = "importance", mixinStandardHelpOptions = true,
        description = "Compute Omega_D on the training set (once, after training), or Omega_f on a forget set, and write"
                + " the Importance file with its method, counts, weight hash and preprocessing.")
final class ImportanceCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "The model's checkpoint.")
    Path checkpoint;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    UnlearnerOptions unlearner = new UnlearnerOptions();

    @ArgGroup(exclusive = true, heading = "Omega_f instead of Omega_D (default: the whole training set, in its order):%n")
    ForgetSetOptions forget;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The Importance file to write.")
    Path output;

    @Override
    Map<String, Object> run() throws Exception {
        OutputFiles outputs = new OutputFiles(common.force);
        outputs.plan(output);
        DataOptions.Prepared d = data.load();
        Checkpoint c = Checkpoint.load(checkpoint, model, d.numClasses());
        c.requireFits(d);
        Dataset set = d.train();
        String what = "Omega_D over the training set";
        if (forget != null) {
            ForgetSet fs = forget.resolve(d, unlearner.method());
            set = fs.data();
            what = "Omega_f over " + fs.description();
        }
        Unlearner u = unlearner.build(progress(), false);
        long t0 = System.nanoTime();
        Importance omega = u.importance(c.model(), set.batches(unlearner.batchSize()))
                .withPreprocessing(d.preprocessing().canonical());
        double seconds = (System.nanoTime() - t0) / 1e9;
        outputs.write(output, omega::save);
        text().printf(Locale.ROOT, "%s: %,d images in %,d batches of %d, %s/%s, %.1f s%nwrote %s%n", what, omega.sampleCount(),
                omega.batchCount(), omega.batchSize(), omega.method(), omega.reduction(), seconds, output);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("output", output.toString());
        result.put("sha256", Sha256.of(output));
        result.put("kind", forget == null ? "omega_d" : "omega_f");
        result.put("method", omega.method().name());
        result.put("reduction", omega.reduction().name());
        result.put("samples", omega.sampleCount());
        result.put("batches", omega.batchCount());
        result.put("batch_size", omega.batchSize());
        result.put("weights_sha256", omega.weightHash());
        result.put("data", data.describe(d));
        result.put("seconds", seconds);
        return result;
    }
}
