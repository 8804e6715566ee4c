package org.lfssd.bench.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lfssd.io.DType;
import org.lfssd.io.SafeTensors;
import org.lfssd.io.SafeTensorsException;
import org.lfssd.io.SafeTensorsFile;
import org.lfssd.tensor.Tensor;

/**
 * Fuzzes the safetensors reader with mutations of a corpus of valid files (every readable dtype, 0-d and
 * empty tensors, metadata, unknown fields, unreadable dtypes). A third of the mutations edit raw bytes, a
 * third edit the header bytes and a third edit header tokens (dtypes, field names, integers, unknown
 * fields) so that the JSON stays valid; the last two keep the length field consistent, so they reach the
 * semantic checks.
 *
 * <p>Oracle: opening and reading every tensor either succeeds or fails with a {@link SafeTensorsException}
 * naming the file. Anything else fails: another exception type, a VM error, an error without the file
 * name. An accepted file must also survive a round trip: written back by this library (which must not
 * refuse anything the reader accepted) and read again, it gives the same names, shapes, values and metadata.
 */
public final class SafeTensorsFuzzer {
    private final Path scratch;
    private final List<byte[]> corpus;

    /** @param scratch an empty folder for the inputs and round-trip files */
    public SafeTensorsFuzzer(Path scratch) throws IOException {
        this.scratch = scratch;
        this.corpus = seeds(scratch);
    }

    /** Number of valid seed files the mutations start from. */
    public int corpusSize() {
        return corpus.size();
    }

    /**
     * Tries {@code maxInputs} mutated inputs derived from {@code seed} (or fewer if {@code deadlineNanos},
     * a {@link System#nanoTime()} value, passes first).
     */
    public FuzzReport run(long seed, long maxInputs, long deadlineNanos) throws IOException {
        FuzzReport report = new FuzzReport("safetensors reader (seed " + seed + ")");
        SplittableRandom master = new SplittableRandom(seed);
        Path input = scratch.resolve("input.safetensors");
        for (long i = 0; i < maxInputs && System.nanoTime() < deadlineNanos; i++) {
            byte[] bytes = nextInput(master.split());
            Files.write(input, bytes);
            long t0 = System.nanoTime();
            String problem;
            boolean accepted = false;
            try {
                accepted = check(input);
                problem = null;
            } catch (SafeTensorsException e) {
                problem = e.getMessage().contains(input.toString()) ? null : "error without the file name: " + e;
            } catch (Throwable e) {
                problem = "unexpected " + e;
            }
            long nanos = System.nanoTime() - t0;
            if (problem != null) {
                report.failed(nanos, "iteration " + i + ": " + problem + "; input " + base64(bytes));
            } else if (accepted) {
                report.accepted(nanos);
            } else {
                report.rejected(nanos);
            }
        }
        return report;
    }

    /** The valid seed files followed by {@code count} mutated inputs derived from {@code seed}, as {@link #run} makes them. */
    public List<byte[]> inputs(long seed, int count) {
        List<byte[]> out = new ArrayList<>(corpus);
        SplittableRandom master = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            out.add(nextInput(master.split()));
        }
        return out;
    }

    private byte[] nextInput(SplittableRandom rng) {
        byte[] base = corpus.get(rng.nextInt(corpus.size()));
        byte[] other = corpus.get(rng.nextInt(corpus.size()));
        switch (rng.nextInt(3)) {
            case 0:
                return Mutator.mutate(base, other, rng);
            case 1:
                return mutateHeader(base, other, rng);
            default:
                return mutateHeaderTokens(base, rng);
        }
    }

    /** Replacements that keep the header valid JSON, so they reach the semantic checks (and often pass them). */
    private static final String[][] TOKEN_SWAPS = {
            {"\"F32\"", "\"I32\"", "\"U32\"", "\"F16\"", "\"F64\"", "\"f32\""},
            {"\"F16\"", "\"BF16\"", "\"I16\"", "\"U16\"", "\"F32\""},
            {"\"BF16\"", "\"F16\"", "\"U16\""},
            {"\"I64\"", "\"F64\"", "\"U64\"", "\"I32\""},
            {"\"U8\"", "\"I8\"", "\"BOOL\"", "\"F8_E4M3\"", "\"F8_E5M2\""},
            {"\"dtype\"", "\"dtype \"", "\"Dtype\""},
            {"\"shape\"", "\"shapes\""},
            {":{", ":{\"extra\":[[{\"a\":null}],-1.5e3,\"\\u00e9\"],", ": {", ":{\"x\":{},"},
            {",", " , ", ",\n"},
    };

    /**
     * Edits tokens of the header text: swaps a dtype for another of the same or another size, renames a
     * field, inserts unknown fields or whitespace, or shifts one integer (shape or offset); the length field
     * is rewritten to match.
     */
    private static byte[] mutateHeaderTokens(byte[] file, SplittableRandom rng) {
        long length = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(file, 8, (int) length, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(file, 8 + (int) length, file.length);
        int edits = 1 + rng.nextInt(2);
        for (int e = 0; e < edits; e++) {
            if (rng.nextInt(3) == 0) {
                header = shiftInteger(header, rng);
                continue;
            }
            String[] group = TOKEN_SWAPS[rng.nextInt(TOKEN_SWAPS.length)];
            String from = group[0];
            int at = nthOccurrence(header, from, rng);
            if (at >= 0) {
                String to = group[1 + rng.nextInt(group.length - 1)];
                header = header.substring(0, at) + to + header.substring(at + from.length());
            }
        }
        return withHeader(header.getBytes(StandardCharsets.UTF_8), data);
    }

    /** An integer inside an array: a shape entry or a data offset. */
    private static final Pattern INTEGER = Pattern.compile("(?<=[\\[,])\\d+(?=[\\],])");

    private static String shiftInteger(String header, SplittableRandom rng) {
        Matcher m = INTEGER.matcher(header);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return header;
        }
        int[] span = spans.get(rng.nextInt(spans.size()));
        long v = Long.parseLong(header.substring(span[0], span[1]));
        String[] choices = {Long.toString(v + 1), Long.toString(Math.max(0, v - 1)), "0", "-0", Long.toString(v * 2),
                "4294967296", "9223372036854775807", Long.toString(v) + ",0"};
        return header.substring(0, span[0]) + choices[rng.nextInt(choices.length)] + header.substring(span[1]);
    }

    private static int nthOccurrence(String s, String token, SplittableRandom rng) {
        List<Integer> at = new ArrayList<>();
        for (int i = s.indexOf(token); i >= 0; i = s.indexOf(token, i + 1)) {
            at.add(i);
        }
        return at.isEmpty() ? -1 : at.get(rng.nextInt(at.size()));
    }

    /** Reads everything; returns true if the file was accepted (its round trip checked), false if refused. */
    private boolean check(Path input) throws IOException {
        Map<String, Tensor> readable = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        Map<String, String> metadata;
        try (SafeTensorsFile f = SafeTensors.open(input)) {
            metadata = f.metadata();
            for (String name : f.names()) {
                try {
                    readable.put(name, f.tensor(name));
                    dtypes.put(name, f.info(name).dtype());
                } catch (SafeTensorsException e) {
                    if (!e.getMessage().contains(input.toString())) {
                        throw new IllegalStateException("tensor error without the file name: " + e, e);
                    }
                }
            }
        }
        Path copy = scratch.resolve("roundtrip.safetensors");
        try {
            SafeTensors.write(copy, readable, dtypes, metadata);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the writer refuses what the reader accepted: " + e.getMessage(), e);
        }
        Map<String, Tensor> back = SafeTensors.read(copy);
        if (!back.keySet().equals(readable.keySet()) || !SafeTensors.readMetadata(copy).equals(metadata)) {
            throw new IllegalStateException("round trip changed the names or metadata");
        }
        for (Map.Entry<String, Tensor> e : readable.entrySet()) {
            Tensor a = e.getValue();
            Tensor b = back.get(e.getKey());
            if (!Arrays.equals(a.shape(), b.shape()) || !Arrays.equals(a.toArray(), b.toArray())) {
                throw new IllegalStateException("round trip changed tensor '" + e.getKey() + "'");
            }
        }
        return true;
    }

    /** Mutates the header text only and rewrites the length field to match, keeping the data section. */
    private static byte[] mutateHeader(byte[] file, byte[] other, SplittableRandom rng) {
        long length = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] header = Arrays.copyOfRange(file, 8, 8 + (int) length);
        byte[] data = Arrays.copyOfRange(file, 8 + (int) length, file.length);
        long otherLength = ByteBuffer.wrap(other).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] otherHeader = Arrays.copyOfRange(other, 8, 8 + (int) otherLength);
        byte[] mutated = Mutator.mutate(header, otherHeader, rng);
        if (rng.nextInt(8) == 0) {
            data = Arrays.copyOf(data, Math.max(0, data.length + rng.nextInt(9) - 4)); // data one element off
        }
        return withHeader(mutated, data);
    }

    private static byte[] withHeader(byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(header.length).put(header).put(data).array();
    }

    private static String base64(byte[] bytes) {
        return bytes.length > 4096 ? bytes.length + " bytes" : java.util.Base64.getEncoder().encodeToString(bytes);
    }

    /** Valid files: written by this library, and hand-written headers with what only other writers produce. */
    private static List<byte[]> seeds(Path scratch) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Path f = scratch.resolve("seed.safetensors");
        SplittableRandom rng = new SplittableRandom(1);

        SafeTensors.write(f, Map.of(), Map.of());
        seeds.add(Files.readAllBytes(f));

        Map<String, Tensor> mixed = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        mixed.put("conv.weight", Tensor.randn(rng, 0f, 1f, 2, 1, 2, 2));
        mixed.put("bn.running_var", Tensor.fromArray(new float[] {0.5f, 1e-9f, 3e4f}, 3));
        dtypes.put("bn.running_var", DType.F16);
        mixed.put("fc.bias", Tensor.fromArray(new float[] {-2.5f, 0f, Float.MIN_VALUE, 1e38f}, 4));
        dtypes.put("fc.bias", DType.BF16);
        mixed.put("bn.num_batches_tracked", Tensor.full(12f));
        dtypes.put("bn.num_batches_tracked", DType.I64);
        mixed.put("empty", Tensor.zeros(0, 3));
        SafeTensors.write(f, mixed, dtypes, Map.of("format", "pt", "note", "é\n\"quoted\""));
        seeds.add(Files.readAllBytes(f));

        SafeTensors.write(f, Map.of("scalar", Tensor.full(Float.NaN)), Map.of());
        seeds.add(Files.readAllBytes(f));

        for (String header : new String[] {
                // unknown fields, nesting, header order differing from data order, space padding
                "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8],\"extra\":[1,{\"k\":[]}]},"
                        + "\"a\":{\"shape\":[1],\"dtype\":\"F32\",\"data_offsets\":[0,4]}}    ",
                // unreadable dtypes still parse, and zero-size tensors may share an offset
                "{\"u\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"z\":{\"dtype\":\"F64\",\"shape\":[0],"
                        + "\"data_offsets\":[4,4]},\"e\":{\"dtype\":\"BOOL\",\"shape\":[65536,65536,0],\"data_offsets\":[4,4]},"
                        + "\"__metadata__\":{}}",
                "{\"__metadata__\":null,\"i\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}"}) {
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            int dataBytes = header.contains("[0,16]") ? 16 : header.contains("[4,8]") ? 8 : 4;
            byte[] data = new byte[dataBytes];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i % 3 == 0 ? 0 : rng.nextInt(4)); // small values so I64 stays in range
            }
            seeds.add(withHeader(h, data));
        }
        return seeds;
    }
}
