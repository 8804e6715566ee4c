package org.lfssd.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lfssd.data.Cifar10;
import org.lfssd.data.Cifar100;
import org.lfssd.data.IdxArray;
import org.lfssd.data.IdxReader;
import org.lfssd.data.ImageFolder;
import org.lfssd.data.Split;
import org.lfssd.tensor.Shapes;

/**
 * Image data sets as Spark rows, the input of {@link SparkImportance}. One row per sample with columns
 * <ul>
 *   <li>{@code index} (long, not null): the sample's position in the data set's order, 0 to n−1, each once —
 *       the order a single machine's batches follow;</li>
 *   <li>{@code image}: the sample's {@code C·H·W} floats in CHW order, either binary (float32,
 *       little-endian) or an array of floats;</li>
 *   <li>{@code label} (int, nullable): the class, which SSD needs and LFSSD ignores.</li>
 * </ul>
 * The converters read with the library's readers on the driver and keep their pixel scale (IDX and CIFAR
 * in [0, 1]; normalise with {@link SparkImportance.Builder#normalization}).
 */
public final class ImageRows {
    /** The sample index column. */
    public static final String INDEX = "index";
    /** The image column. */
    public static final String IMAGE = "image";
    /** The label column. */
    public static final String LABEL = "label";

    private ImageRows() {}

    /** {@return the schema the converters produce: index long, image binary (float32 LE), label int} */
    public static StructType schema() {
        return new StructType(new StructField[] {
            DataTypes.createStructField(INDEX, DataTypes.LongType, false),
            DataTypes.createStructField(IMAGE, DataTypes.BinaryType, false),
            DataTypes.createStructField(LABEL, DataTypes.IntegerType, true)});
    }

    /**
     * The samples of an in-memory data set, in its order.
     *
     * @param spark the session
     * @param data  images {@code [N, C, H, W]} and labels
     * @return one row per sample
     */
    public static Dataset<Row> fromDataset(SparkSession spark, org.lfssd.data.Dataset data) {
        int n = data.size();
        int row = n == 0 ? 0 : data.images().numel() / n;
        float[] pixels = data.images().toArray();
        int[] labels = data.labels();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ByteBuffer bytes = ByteBuffer.allocate(row * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(pixels, i * row, row);
            rows.add(RowFactory.create((long) i, bytes.array(), labels == null ? null : labels[i]));
        }
        return spark.createDataFrame(rows, schema());
    }

    /**
     * An IDX image file ({@code [N, H, W]} unsigned bytes, e.g. MNIST or Fashion-MNIST, gzip or plain) and its
     * label file, as single-channel images in [0, 1].
     *
     * @param spark  the session
     * @param images the IDX image file
     * @param labels the IDX label file
     * @return one row per sample
     * @throws IOException if a file cannot be read or the counts differ
     */
    public static Dataset<Row> fromIdx(SparkSession spark, Path images, Path labels) throws IOException {
        return fromDataset(spark, readIdx(images, labels));
    }

    /** An IDX image file and its label file as a data set in [0, 1]. */
    static org.lfssd.data.Dataset readIdx(Path images, Path labels) throws IOException {
        IdxArray x = IdxReader.read(images);
        IdxArray y = IdxReader.read(labels);
        if (x.count() != y.count()) {
            throw new IOException(images + " has " + x.count() + " images but " + labels + " has " + y.count() + " labels");
        }
        return new org.lfssd.data.Dataset(x.toImages(), y.toLabels());
    }

    /**
     * A CIFAR-10 split from the binary distribution's directory, in [0, 1].
     *
     * @param spark the session
     * @param dir   {@code cifar-10-batches-bin}
     * @param split train or test
     * @return one row per sample
     * @throws IOException if the files cannot be read
     */
    public static Dataset<Row> fromCifar10(SparkSession spark, Path dir, Split split) throws IOException {
        return fromDataset(spark, Cifar10.fromDirectory(dir, split));
    }

    /**
     * A CIFAR-100 split (fine labels) from the binary distribution's directory, in [0, 1].
     *
     * @param spark the session
     * @param dir   {@code cifar-100-binary}
     * @param split train or test
     * @return one row per sample
     * @throws IOException if the files cannot be read
     */
    public static Dataset<Row> fromCifar100(SparkSession spark, Path dir, Split split) throws IOException {
        return fromDataset(spark, Cifar100.fromDirectory(dir, split).cifar100());
    }

    /**
     * An image folder (one sub-folder per class) read by {@link ImageFolder#read}.
     *
     * @param spark the session
     * @param root  the folder
     * @param size  the side the images are resized to
     * @return one row per sample, in the folder reader's order
     * @throws IOException if an image cannot be read
     */
    public static Dataset<Row> fromImageFolder(SparkSession spark, Path root, int size) throws IOException {
        return fromDataset(spark, ImageFolder.read(root, size).data());
    }

    /** Checks that {@code schema} has the three columns with usable types; names what is wrong. */
    static void requireSchema(StructType schema) {
        String[] names = schema.fieldNames();
        List<String> have = List.of(names);
        for (String c : List.of(INDEX, IMAGE)) {
            if (!have.contains(c)) {
                throw new IllegalArgumentException("lfssd-spark: the data set has no column '" + c + "' (columns: " + have
                        + "); see ImageRows for the expected schema");
            }
        }
        DataType index = schema.apply(INDEX).dataType();
        if (!index.equals(DataTypes.LongType) && !index.equals(DataTypes.IntegerType)) {
            throw new IllegalArgumentException("lfssd-spark: column 'index' has type " + index.simpleString()
                    + "; expected long or int");
        }
        DataType image = schema.apply(IMAGE).dataType();
        boolean floats = image instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType);
        if (!(image instanceof BinaryType) && !floats) {
            throw new IllegalArgumentException("lfssd-spark: column 'image' has type " + image.simpleString()
                    + "; expected binary (float32 little-endian) or array<float>");
        }
        if (have.contains(LABEL) && !schema.apply(LABEL).dataType().equals(DataTypes.IntegerType)) {
            throw new IllegalArgumentException("lfssd-spark: column 'label' has type "
                    + schema.apply(LABEL).dataType().simpleString() + "; expected int");
        }
    }

    /** The sample index of {@code row}. */
    static long index(Row row) {
        return ((Number) row.getAs(INDEX)).longValue();
    }

    /** Copies the image of {@code row} into {@code out} at {@code offset}; it must hold exactly {@code shape}'s count. */
    static void readImage(Row row, int[] shape, float[] out, int offset) {
        int count = shape[0] * shape[1] * shape[2];
        Object image = row.getAs(IMAGE);
        if (image instanceof byte[] bytes) {
            if (bytes.length != count * Float.BYTES) {
                throw new IllegalArgumentException("lfssd-spark: sample " + index(row) + " has " + bytes.length
                        + " image bytes; an image of shape " + Shapes.str(shape) + " in float32 has " + count * Float.BYTES);
            }
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, offset, count);
        } else {
            List<Float> floats = row.getList(row.fieldIndex(IMAGE));
            if (floats.size() != count) {
                throw new IllegalArgumentException("lfssd-spark: sample " + index(row) + " has " + floats.size()
                        + " image floats; an image of shape " + Shapes.str(shape) + " has " + count);
            }
            for (int i = 0; i < count; i++) {
                out[offset + i] = floats.get(i);
            }
        }
    }
}
