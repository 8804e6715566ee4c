package org.lfssd.unlearn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.lfssd.autograd.Var;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/**
 * A SHA-256 digest of a model's state: every parameter and every buffer, in model order, each as its name,
 * its shape and the bit patterns of its floats. Buffers are included because eval-mode BatchNorm reads its
 * running statistics, so they change the importances as much as the weights do.
 */
final class WeightFingerprint {
    private WeightFingerprint() {}

    /** Elements hashed per chunk; bounds the temporary buffer without hashing float by float. */
    private static final int CHUNK = 1 << 14;

    static String of(Module model) {
        MessageDigest sha = newDigest();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Var> e : model.namedParameters().entrySet()) {
            update(sha, chunk, "parameter", e.getKey(), e.getValue().value());
        }
        for (Map.Entry<String, Tensor> e : model.namedBuffers().entrySet()) {
            update(sha, chunk, "buffer", e.getKey(), e.getValue());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, ByteBuffer chunk, String kind, String name, Tensor t) {
        // Kind, name and shape are written with explicit lengths so that no two different states can
        // produce the same byte stream.
        byte[] label = (kind + ":" + name).getBytes(StandardCharsets.UTF_8);
        int[] shape = t.shape();
        ByteBuffer header = ByteBuffer.allocate(8 + label.length + 4 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(label.length).put(label).putInt(shape.length);
        for (int d : shape) {
            header.putInt(d);
        }
        sha.update(header.array());
        TensorBits.digest(sha, chunk, t);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
