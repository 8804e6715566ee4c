package org.lfssd.unlearn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.lfssd.tensor.Tensor;

/**
 * The SHA-256 an importance file carries over its own content: every metadata entry (in key order, since
 * a JSON header keeps no order) and every Ω tensor (in parameter order: name, shape, float bits). It
 * catches corruption of the counts and values; it is no signature, since anyone can recompute it.
 */
final class ImportanceChecksum {
    private ImportanceChecksum() {}

    /** Elements hashed per chunk; bounds the temporary buffer without hashing float by float. */
    private static final int CHUNK = 1 << 14;

    static String of(Map<String, Tensor> values, Map<String, String> metadata) {
        MessageDigest sha = newDigest();
        // Every field is length-prefixed so that no two different contents give the same byte stream.
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            string(sha, "metadata:" + e.getKey());
            string(sha, e.getValue());
        }
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            Tensor t = e.getValue();
            string(sha, "tensor:" + e.getKey());
            int[] shape = t.shape();
            ByteBuffer dims = ByteBuffer.allocate(4 + 4 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
            dims.putInt(shape.length);
            for (int d : shape) {
                dims.putInt(d);
            }
            sha.update(dims.array());
            TensorBits.digest(sha, chunk, t);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void string(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
