package org.lfssd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.demo.FashionMnist;
import org.lfssd.nn.Checkpoints;
import org.lfssd.nn.Module;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Unlearner;

/**
 * The spark-submit entry point end to end on local[2]: IDX files and a checkpoint in, the importance file out,
 * equal bit for bit to the single-machine pass (two partitions of one batch each).
 */
class ImportanceJobTest {
    static final int N = 128;

    @TempDir
    Path dir;

    @Test
    void writesTheSingleMachineImportanceFile() throws IOException {
        org.lfssd.data.Dataset data = FashionMnist.embedded(FashionMnist.Split.TRAIN).first(N);
        Path images = dir.resolve("images-idx3-ubyte");
        Path labels = dir.resolve("labels-idx1-ubyte");
        writeIdx(images, labels, data);
        Module model = ModelSpec.resnet18(10, 1, 16).create();
        Path checkpoint = dir.resolve("model.safetensors");
        Checkpoints.save(model, checkpoint, Map.of());
        Path out = dir.resolve("omega-d.safetensors");

        LocalSpark.session();   // the job joins a running session (spark-submit starts none) and leaves it running
        ImportanceJob.main(new String[] {"--checkpoint", checkpoint.toString(),
            "--data", "idx:" + images + "," + labels, "--width-divisor", "16", "--partitions", "2",
            "--out", out.toString()});
        assertTrue(org.apache.spark.sql.SparkSession.getDefaultSession().isDefined(), "the shared session still runs");
        // The IDX round trip keeps the pixels exactly (k/255 from the same bytes).
        Importance expected = Unlearner.lfssd().build().importance(model, data.batches(64));
        Path single = dir.resolve("single.safetensors");
        expected.save(single);
        assertEquals(-1, Files.mismatch(single, out), "the Spark job's file equals the single machine's byte for byte");
    }

    @Test
    void explainsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImportanceJob.main(new String[] {"--data", "parquet:/x", "--checkpoint", "m.safetensors"}));
        assertTrue(e.getMessage().contains("unknown kind 'parquet'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImportanceJob.main(new String[] {"--data", "idx:a,b"}));
        assertTrue(e.getMessage().contains("--checkpoint is required"), e.getMessage());
    }

    /** Writes the images (as bytes 0..255, which they came from) and labels in the IDX format. */
    static void writeIdx(Path images, Path labels, org.lfssd.data.Dataset data) throws IOException {
        int n = data.size();
        float[] px = data.images().toArray();
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            for (float v : px) {
                out.writeByte(Math.round(v * 255f));
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            for (int y : data.labels()) {
                out.writeByte(y);
            }
        }
        assertArrayEquals(px, org.lfssd.data.IdxReader.read(images).toImages().toArray(), "IDX round trip");
    }
}
