package org.lfssd.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of a safetensors file.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code n}, {@code n} bytes of UTF-8 JSON (an
 * object mapping tensor names to {@code {"dtype", "shape", "data_offsets"}} plus an optional
 * {@code "__metadata__"} string map), then the data section. Validation follows the reference
 * implementation: the header length is bounded and inside the file; every entry has a known dtype,
 * non-negative shape and offsets; sorted by offset the spans tile the data section from 0 with no gap
 * or overlap; each span's length is exactly {@code numel x dtype size}; and the data section ends
 * exactly at the end of the file. All arithmetic on untrusted sizes is overflow-checked. Like the reference,
 * unknown fields are ignored but must still nest at most {@link #MAX_NESTING_DEPTH} deep, and {@code -0} is not
 * an integer.
 */
final class SafeTensorsHeader {
    /** The reference implementation's bound; a header this large is an attack or a corrupt file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /**
     * Longest tensor name or metadata key, in UTF-16 units. Jackson's default, fixed here so that the writer
     * can refuse what the reader would, and a Jackson upgrade cannot silently change the format.
     */
    static final int MAX_NAME_CHARS = 50_000;
    /** Longest metadata value, in UTF-16 units (Jackson's default); it bounds what one string can cost. */
    static final int MAX_STRING_CHARS = 20_000_000;
    /** Longest number token; bounds the cost of converting an absurd integer (Jackson's default). */
    static final int MAX_NUMBER_CHARS = 1000;
    /**
     * Deepest JSON nesting accepted, the header object itself counting 1. The reference reader (serde_json)
     * stops at its recursion limit of 128, so 128 nested containers are refused and 127 read, there and here.
     */
    static final int MAX_NESTING_DEPTH = 127;
    static final String METADATA_KEY = "__metadata__";
    /**
     * Field names are not canonicalised: tensor names are unique, so a symbol table would only grow (and
     * intern every name); without it a header of a million tensors parses in linear time and memory.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNameLength(MAX_NAME_CHARS)
                    .maxStringLength(MAX_STRING_CHARS)
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .build();
    /** Bytes read from the file per call while parsing; the header is streamed, never held whole. */
    private static final int READ_CHUNK = 1 << 16;

    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final Map<String, String> metadata;
    private final long dataStart;

    private SafeTensorsHeader(List<TensorInfo> tensors, Map<String, TensorInfo> byName, Map<String, String> metadata,
                              long dataStart) {
        this.tensors = tensors;
        this.byName = byName;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    /** Entries in data (offset) order. */
    List<TensorInfo> tensors() {
        return tensors;
    }

    /** Entries by name (unordered). */
    Map<String, TensorInfo> byName() {
        return byName;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /** File position of the first data byte. */
    long dataStart() {
        return dataStart;
    }

    /**
     * Reads and validates the header. Memory is bounded by what the header describes (its entries and
     * metadata), not by copies of its text: the bytes are streamed from the file through a strict UTF-8
     * decoder into the JSON parser.
     */
    static SafeTensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafeTensorsException(file, "file of " + fileSize + " bytes is too small for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, lengthBytes, 0, "header length");
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
        if (headerLength == 0 || firstHeaderByte(file, channel) != '{') {
            throw new SafeTensorsException(file, "header does not start with '{' (not a JSON object)");
        }
        SafeTensorsHeader header;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // A Reader fixes the encoding: given bytes, Jackson would guess UTF-16/32 from zero bytes.
        try (JsonParser p = JSON.createParser(new InputStreamReader(
                new HeaderInputStream(file, channel, 8, headerLength), utf8))) {
            header = parse(file, p, dataStart);
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file, null, "header is not valid UTF-8", e);
        } catch (StreamConstraintsException e) {
            throw new SafeTensorsException(file, null, "header exceeds a parsing limit (names up to " + MAX_NAME_CHARS
                    + " characters, strings up to " + MAX_STRING_CHARS + ", numbers up to " + MAX_NUMBER_CHARS
                    + " digits, nesting up to " + MAX_NESTING_DEPTH + " levels): " + e.getOriginalMessage(), e);
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

    private static int firstHeaderByte(Path file, FileChannel channel) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(1);
        readFully(file, channel, first, 8, "header");
        return first.get(0);
    }

    private static SafeTensorsHeader parse(Path file, JsonParser p, long dataStart) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new SafeTensorsException(file, "header is not a JSON object");
        }
        List<TensorInfo> entries = new ArrayList<>();
        Map<String, TensorInfo> byName = new HashMap<>();
        Map<String, String> metadata = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            requireWellFormed(file, null, "key", key);
            p.nextToken();
            if (METADATA_KEY.equals(key)) {
                if (metadata != null) {
                    throw new SafeTensorsException(file, null, "duplicate key '" + key + "' in header");
                }
                metadata = parseMetadata(file, p);
            } else {
                TensorInfo t = parseEntry(file, key, p);
                if (byName.put(key, t) != null) {
                    throw new SafeTensorsException(file, key, "duplicate key '" + key + "' in header");
                }
                entries.add(t);
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
        return new SafeTensorsHeader(Collections.unmodifiableList(entries), Collections.unmodifiableMap(byName),
                metadata == null ? Collections.emptyMap() : metadata, dataStart);
    }

    private static Map<String, String> parseMetadata(Path file, JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Collections.emptyMap(); // the reference reads its Option<HashMap> as None
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafeTensorsException(file, METADATA_KEY + " must be a JSON object of strings, found " + p.currentToken());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            requireWellFormed(file, null, METADATA_KEY + " key", key);
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new SafeTensorsException(file, METADATA_KEY + " entry '" + key + "' must be a string, found "
                        + p.currentToken());
            }
            requireWellFormed(file, null, METADATA_KEY + " value of '" + key + "'", p.getText());
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
            requireWellFormed(file, name, "field name", field);
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
                    skipValue(file, name, p); // unknown fields are ignored, as the reference implementation does
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

    /**
     * A JSON array of integers in {@code [0, 2^63)}; anything else (negative, fractional, huge) is an error,
     * and so is {@code -0}, which the reference reader parses as the float -0.0 and refuses.
     */
    private static long[] nonNegativeIntegers(Path file, String name, String field, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new SafeTensorsException(file, name, field + " must be an array of integers, found " + p.currentToken());
        }
        long[] values = new long[4];
        int count = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new SafeTensorsException(file, name, field + " must hold integers, found " + p.currentToken()
                        + " '" + p.getText() + "'");
            }
            JsonParser.NumberType type = p.getNumberType();
            boolean minus = p.getTextLength() > 0 && p.getTextCharacters()[p.getTextOffset()] == '-';
            if (type == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0 || minus) {
                throw new SafeTensorsException(file, name, field + " value " + p.getText()
                        + " is not a non-negative 64-bit integer");
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, 2 * count);
            }
            values[count++] = p.getLongValue();
        }
        return Arrays.copyOf(values, count);
    }

    /**
     * Skips the value at the current token, still checking its strings: the reference parses ignored
     * values in full and refuses a lone surrogate escape ({@code "\ud800"}) anywhere in the header.
     */
    private static void skipValue(Path file, String tensor, JsonParser p) throws IOException {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            } else if (t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) {
                requireWellFormed(file, tensor, "string in an unknown field", p.getText());
            }
        } while (depth > 0 && p.nextToken() != null);
    }

    /**
     * JSON escapes can spell a lone UTF-16 surrogate, which is no character: the reference refuses it, and
     * this library could neither compare such a name reliably nor write it back, so it is refused too.
     */
    private static void requireWellFormed(Path file, String tensor, String what, String s) throws SafeTensorsException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new SafeTensorsException(file, tensor, what + " holds a lone UTF-16 surrogate (\\u"
                        + Integer.toHexString(c) + ") at index " + i + ", which is not a character");
            }
        }
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer dst, long position, String what)
            throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new SafeTensorsException(file, "the file ends at byte " + pos + " inside the " + what
                        + " (it shrank after it was opened: truncated, or rewritten in place by another program)");
            }
            pos += n;
        }
    }

    /**
     * The header bytes {@code [start, start + length)} of the file as a stream, read in chunks by position
     * (so no mapping, whose failure on a shrinking file would be a VM error, and no whole copy).
     */
    private static final class HeaderInputStream extends InputStream {
        private final Path file;
        private final FileChannel channel;
        private final long end;
        private final ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
        private long position;

        HeaderInputStream(Path file, FileChannel channel, long start, long length) {
            this.file = file;
            this.channel = channel;
            this.position = start;
            this.end = start + length;
            chunk.limit(0);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!chunk.hasRemaining()) {
                if (position >= end) {
                    return -1;
                }
                chunk.clear().limit((int) Math.min(READ_CHUNK, end - position));
                readFully(file, channel, chunk, position, "header");
                position += chunk.position();
                chunk.flip();
            }
            int n = Math.min(len, chunk.remaining());
            chunk.get(b, off, n);
            return n;
        }
    }
}
