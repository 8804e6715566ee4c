package org.lfssd.spark;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.lfssd.data.Cifar10;
import org.lfssd.data.Cifar100;
import org.lfssd.data.ImageFolder;
import org.lfssd.data.Normalization;
import org.lfssd.data.Split;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.Reduction;

/**
 * The {@code spark-submit} entry point: reads a data set with the library's readers on the driver, computes
 * Ω on the cluster with {@link SparkImportance} and writes the importance file on the driver. Run it without
 * arguments for the options.
 */
public final class ImportanceJob {
    private static final Logger LOG = System.getLogger(ImportanceJob.class.getName());

    static final String USAGE = String.join("\n",
            "usage: spark-submit --class org.lfssd.spark.ImportanceJob lfssd-spark-job.jar --checkpoint FILE --data SOURCE [options]",
            "  --checkpoint FILE     safetensors checkpoint of the model (read on the driver, broadcast to executors)",
            "  --data SOURCE         idx:IMAGES,LABELS | cifar10:DIR | cifar100:DIR | folder:ROOT:SIZE (read on the driver)",
            "  --split train|test    which CIFAR split (default train)",
            "  --model NAME          resnet18 (the SSD code's, default) | torchvision-resnet18-cifar | torchvision-resnet18-imagenet",
            "  --classes N           classes of the model's head (default 10)",
            "  --width-divisor D     resnet18 only: divides every channel count (default 1)",
            "  --normalize official  the SSD code's CIFAR mean/std, applied on the executors (default: pixels in [0, 1] as read)",
            "  --method lfssd|ssd    (default lfssd)",
            "  --reduction reference|per-sample   (default reference)",
            "  --batch-size B        (default 64)",
            "  --partitions P        batch-aligned partitions (default: Spark's default parallelism)",
            "  --out FILE            the importance file to write on the driver (default omega-d.safetensors)");

    private ImportanceJob() {}

    /**
     * Runs the job.
     *
     * @param args the options above
     * @throws IOException if the checkpoint or the data cannot be read, or the result cannot be written
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> opts = parse(args);
        if (opts == null) {
            System.out.println(USAGE);
            return;
        }
        String dataSource = require(opts, "data");
        Path checkpoint = Path.of(require(opts, "checkpoint"));
        Split split = Split.valueOf(opts.getOrDefault("split", "train").toUpperCase(Locale.ROOT));
        org.lfssd.data.Dataset data = read(dataSource, split);
        int[] shape = data.images().shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("--data " + dataSource + ": expected images [N, C, H, W]");
        }
        int classes = Integer.parseInt(opts.getOrDefault("classes", "10"));
        ModelSpec spec = switch (opts.getOrDefault("model", "resnet18")) {
            case "resnet18" -> ModelSpec.resnet18(classes, shape[1], Integer.parseInt(opts.getOrDefault("width-divisor", "1")));
            case "torchvision-resnet18-cifar" -> ModelSpec.torchvisionResNet18Cifar(classes);
            case "torchvision-resnet18-imagenet" -> ModelSpec.torchvisionResNet18ImageNet(classes);
            default -> throw new IllegalArgumentException("--model " + opts.get("model") + ": unknown; see the usage:\n" + USAGE);
        };
        SparkImportance.Builder job = SparkImportance.builder(spec, checkpoint)
                .method(Method.valueOf(opts.getOrDefault("method", "lfssd").toUpperCase(Locale.ROOT)))
                .reduction(Reduction.valueOf(opts.getOrDefault("reduction", "reference").toUpperCase(Locale.ROOT).replace('-', '_')))
                .batchSize(Integer.parseInt(opts.getOrDefault("batch-size", "64")))
                .imageShape(shape[1], shape[2], shape[3]);
        if (opts.containsKey("partitions")) {
            job.partitions(Integer.parseInt(opts.get("partitions")));
        }
        String normalize = opts.getOrDefault("normalize", "none");
        if (normalize.equals("official")) {
            if (shape[1] != Normalization.OFFICIAL.channels()) {
                throw new IllegalArgumentException("--normalize official has " + Normalization.OFFICIAL.channels()
                        + " channels but the images have " + shape[1]);
            }
            job.normalization(Normalization.OFFICIAL);
        } else if (!normalize.equals("none")) {
            throw new IllegalArgumentException("--normalize " + normalize + ": expected official or none");
        }
        Path out = Path.of(opts.getOrDefault("out", "omega-d.safetensors"));

        boolean ownSession = SparkSession.getDefaultSession().isEmpty();   // under spark-submit: none yet
        SparkSession spark = SparkSession.builder().appName("lfssd importance").getOrCreate();
        try {
            Importance omega = job.build().compute(ImageRows.fromDataset(spark, data));
            omega.save(out);
            LOG.log(Level.INFO, "lfssd-spark: wrote {0}: {1}", out, omega);
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }

    /** The data set named by {@code source}, read on the driver. */
    static org.lfssd.data.Dataset read(String source, Split split) throws IOException {
        int colon = source.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--data " + source + ": expected KIND:PATH; see the usage:\n" + USAGE);
        }
        String kind = source.substring(0, colon);
        String rest = source.substring(colon + 1);
        switch (kind) {
            case "idx": {
                String[] files = rest.split(",", -1);
                if (files.length != 2) {
                    throw new IllegalArgumentException("--data " + source + ": expected idx:IMAGES,LABELS");
                }
                return ImageRows.readIdx(Path.of(files[0]), Path.of(files[1]));
            }
            case "cifar10":
                return Cifar10.fromDirectory(Path.of(rest), split);
            case "cifar100":
                return Cifar100.fromDirectory(Path.of(rest), split).cifar100();
            case "folder": {
                int at = rest.lastIndexOf(':');
                if (at < 0) {
                    throw new IllegalArgumentException("--data " + source + ": expected folder:ROOT:SIZE");
                }
                return ImageFolder.read(Path.of(rest.substring(0, at)), Integer.parseInt(rest.substring(at + 1))).data();
            }
            default:
                throw new IllegalArgumentException("--data " + source + ": unknown kind '" + kind
                        + "' (idx, cifar10, cifar100 or folder)");
        }
    }

    /** {@code --key value} pairs; null when there are none or help is asked for. */
    static Map<String, String> parse(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            return null;
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --option value at '" + args[i] + "'; see the usage:\n" + USAGE);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required; see the usage:\n" + USAGE);
        }
        return v;
    }
}
