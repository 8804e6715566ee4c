package org.lfssd.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and validated header of a safetensors file.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code n}, {@code n} bytes of UTF-8 JSON (an
 * object mapping tensor names to {@code {"dtype", "shape", "data_offsets"}} plus an optional
 * {@code "__metadata__"} string map), then the data section. Validation follows the reference
 * implementation: the header length is bounded and inside the file; every entry has a known dtype,
 * non-negative shape and offsets; sorted by offset the spans tile the data section from 0 with no gap
 * or overlap; each span's length is exactly {@code numel x dtype size}; and the data section ends
 * exactly at the end of the file. All arithmetic on untrusted sizes is overflow-checked.
 */
final class SafeTensorsHeader {
    /** The reference implementation's bound; a header this large is an attack or a corrupt file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    private static final JsonFactory JSON = new JsonFactory();

    private final List<TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final long dataStart;

    private SafeTensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {
        this.tensors = tensors;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    /** Entries in data (offset) order. */
    List<TensorInfo> tensors() {
        return tensors;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /** File position of the first data byte. */
    long dataStart() {
        return dataStart;
    }

    static SafeTensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafeTensorsException(file, "file of " + fileSize + " bytes is too small for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        // An unsigned value above 2^63 reads as negative; it is just as much "too large".
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafeTensorsException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        long dataStart = 8 + headerLength; // cannot overflow: headerLength <= 1e8
        if (dataStart > fileSize) {
            throw new SafeTensorsException(file, "header length " + headerLength + " runs past the end of the "
                    + fileSize + "-byte file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        headerBytes.flip();
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file, null, "header is not valid UTF-8", e);
        }
        if (!json.startsWith("{")) {
            throw new SafeTensorsException(file, "header does not start with '{' (not a JSON object)");
        }
        SafeTensorsHeader header;
        try (JsonParser p = JSON.createParser(json)) {
            header = parse(file, p, dataStart);
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, null, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        long dataLength = fileSize - dataStart;
        long covered = header.tensors.isEmpty() ? 0 : header.tensors.get(header.tensors.size() - 1).end();
        if (covered != dataLength) {
            throw new SafeTensorsException(file, "tensors cover " + covered + " data bytes but the data section holds "
                    + dataLength + " bytes (file size " + fileSize + ", header " + headerLength + ")");
        }
        return header;
    }

    private static SafeTensorsHeader parse(Path file, JsonParser p, long dataStart) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new SafeTensorsException(file, "header is not a JSON object");
        }
        List<TensorInfo> entries = new ArrayList<>();
        Map<String, String> metadata = Collections.emptyMap();
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (!seen.add(key)) {
                throw new SafeTensorsException(file, METADATA_KEY.equals(key) ? null : key, "duplicate key '" + key + "' in header");
            }
            p.nextToken();
            if (METADATA_KEY.equals(key)) {
                metadata = parseMetadata(file, p);
            } else {
                entries.add(parseEntry(file, key, p));
            }
        }
        if (p.nextToken() != null) {
            throw new SafeTensorsException(file, "unexpected content after the header's JSON object");
        }
        // Zero-length tensors may share an offset; a stable sort keeps their header order.
        entries.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expectedBegin = 0;
        for (TensorInfo t : entries) {
            if (t.begin() != expectedBegin) {
                throw new SafeTensorsException(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end() + "] "
                        + (t.begin() < expectedBegin ? "overlap" : "leave a gap after") + " the previous tensor's data ending at "
                        + expectedBegin);
            }
            expectedBegin = t.end();
        }
        return new SafeTensorsHeader(List.copyOf(entries), metadata, dataStart);
    }

    private static Map<String, String> parseMetadata(Path file, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafeTensorsException(file, METADATA_KEY + " must be a JSON object of strings, found " + p.currentToken());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new SafeTensorsException(file, METADATA_KEY + " entry '" + key + "' must be a string, found "
                        + p.currentToken());
            }
            if (metadata.put(key, p.getText()) != null) {
                throw new SafeTensorsException(file, "duplicate key '" + key + "' in " + METADATA_KEY);
            }
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorInfo parseEntry(Path file, String name, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafeTensorsException(file, name, "entry must be a JSON object, found " + p.currentToken());
        }
        DType dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "dtype":
                    if (dtype != null) {
                        throw new SafeTensorsException(file, name, "duplicate field 'dtype'");
                    }
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw new SafeTensorsException(file, name, "dtype must be a string, found " + p.currentToken());
                    }
                    dtype = DType.fromHeaderName(p.getText());
                    if (dtype == null) {
                        throw new SafeTensorsException(file, name, "unknown dtype '" + p.getText() + "'");
                    }
                    break;
                case "shape":
                    if (shape != null) {
                        throw new SafeTensorsException(file, name, "duplicate field 'shape'");
                    }
                    shape = nonNegativeIntegers(file, name, "shape", p);
                    break;
                case "data_offsets":
                    if (offsets != null) {
                        throw new SafeTensorsException(file, name, "duplicate field 'data_offsets'");
                    }
                    offsets = nonNegativeIntegers(file, name, "data_offsets", p);
                    if (offsets.length != 2) {
                        throw new SafeTensorsException(file, name, "data_offsets must be [begin, end], found "
                                + offsets.length + " values");
                    }
                    break;
                default:
                    p.skipChildren(); // unknown fields are ignored, as the reference implementation does
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new SafeTensorsException(file, name, "entry lacks "
                    + (dtype == null ? "'dtype'" : shape == null ? "'shape'" : "'data_offsets'"));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new SafeTensorsException(file, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        int[] intShape = new int[shape.length];
        long numel = 1;
        long bytes;
        try {
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] > Integer.MAX_VALUE) {
                    throw new SafeTensorsException(file, name, "dimension " + shape[i] + " exceeds 2^31 - 1");
                }
                intShape[i] = (int) shape[i];
                numel = Math.multiplyExact(numel, shape[i]);
            }
            bytes = Math.multiplyExact(numel, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafeTensorsException(file, name, "byte size of shape " + Arrays.toString(shape)
                    + " x " + dtype + " overflows 64 bits");
        }
        if (end - begin != bytes) {
            throw new SafeTensorsException(file, name, "data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
        }
        return new TensorInfo(name, dtype, intShape, numel, begin, end);
    }

    /** A JSON array of integers in {@code [0, 2^63)}; anything else (negative, fractional, huge) is an error. */
    private static long[] nonNegativeIntegers(Path file, String name, String field, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new SafeTensorsException(file, name, field + " must be an array of integers, found " + p.currentToken());
        }
        List<Long> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new SafeTensorsException(file, name, field + " must hold integers, found " + p.currentToken()
                        + " '" + p.getText() + "'");
            }
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw new SafeTensorsException(file, name, field + " value " + p.getText()
                        + " is not a non-negative 64-bit integer");
            }
            values.add(p.getLongValue());
        }
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new EOFException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }
}
