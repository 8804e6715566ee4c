package org.lfssd.unlearn;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.lfssd.tensor.Tensor;

/**
 * Feeds a tensor's values to a digest as their raw IEEE bits, little-endian, in element order: the
 * byte stream behind both the weight fingerprint and the Importance checksum, which are stored in files
 * and so must never change.
 */
final class TensorBits {
    private TensorBits() {}

    /**
     * Updates {@code sha} with every value of {@code t}, staged through {@code chunk} (a little-endian
     * buffer whose capacity is a multiple of 4 bytes).
     */
    static void digest(MessageDigest sha, ByteBuffer chunk, Tensor t) {
        int perChunk = chunk.capacity() / Float.BYTES;
        float[] data = t.data();
        int off = t.offset();
        int n = t.numel();
        for (int start = 0; start < n; start += perChunk) {
            int len = Math.min(perChunk, n - start);
            chunk.clear();
            for (int i = 0; i < len; i++) {
                chunk.putInt(Float.floatToRawIntBits(data[off + start + i]));
            }
            sha.update(chunk.array(), 0, len * Float.BYTES);
        }
    }
}
