package org.lfssd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-crafted safetensors bytes for the validation tests. */
final class CorruptFiles {
    private CorruptFiles() {}

    /** A file with the given header-length field, header bytes and data bytes, exactly as given. */
    static Path raw(Path dir, String name, long headerLength, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header).put(data);
        Path file = dir.resolve(name + ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    /** A file with a correct length field for {@code headerJson} followed by {@code dataBytes} zero bytes. */
    static Path withHeader(Path dir, String name, String headerJson, int dataBytes) throws IOException {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return raw(dir, name, header.length, header, new byte[dataBytes]);
    }
}
