package org.lfssd.bench.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Byte-level mutations of a valid input: bit flips, interesting bytes, interesting text tokens,
 * truncation, deletion, duplication, insertion and splicing, usually one, sometimes up to four stacked. Deterministic
 * for a given random generator, so a seed reproduces every input.
 */
final class Mutator {
    private static final byte[] INTERESTING_BYTES = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, '{', '}', '[', ']',
            '"', ',', ':', '-', '0', '9', ' ', '\\', 'e', (byte) 0xc3, (byte) 0xed, (byte) 0x1f, (byte) 0x8b};
    /** Fragments that stress a JSON header: signs, exponents, nesting, escapes, huge numbers, keywords. */
    private static final String[] TOKENS = {"-0", "-1", "1e3", "0.5", "18446744073709551616", "9223372036854775807",
            "4294967296", "2147483648", "[[[[[[[[", "]]]]", "{}", "[]", "null", "true", "\"\"", "\"\\u0000\"",
            "\"\\ud800\"", "\"__metadata__\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"F16\"", "\"BF16\"",
            "\"I64\"", "\"U8\"", "\"F64\"", "\"x\":1,", ",\"y\":[1,[2]]", "  ", "\n", "\u00e9", "\ud83d\ude00", "00"};

    private Mutator() {}

    /** A mutated copy of {@code input}; {@code other} is a second valid input for splicing. */
    static byte[] mutate(byte[] input, byte[] other, SplittableRandom rng) {
        byte[] b = input;
        // Mostly one mutation, so that many inputs stay close to valid and reach the deeper checks.
        int rounds = rng.nextInt(4) == 0 ? 2 + rng.nextInt(3) : 1;
        for (int r = 0; r < rounds; r++) {
            b = once(b, other, rng);
        }
        return b;
    }

    private static byte[] once(byte[] b, byte[] other, SplittableRandom rng) {
        int n = b.length;
        switch (rng.nextInt(9)) {
            case 0: { // flip a bit
                if (n == 0) {
                    return b;
                }
                byte[] c = b.clone();
                c[rng.nextInt(n)] ^= (byte) (1 << rng.nextInt(8));
                return c;
            }
            case 1: { // overwrite a byte with an interesting one
                if (n == 0) {
                    return b;
                }
                byte[] c = b.clone();
                c[rng.nextInt(n)] = INTERESTING_BYTES[rng.nextInt(INTERESTING_BYTES.length)];
                return c;
            }
            case 2: // truncate
                return Arrays.copyOf(b, n == 0 ? 0 : rng.nextInt(n));
            case 3: { // append random bytes
                byte[] c = Arrays.copyOf(b, n + 1 + rng.nextInt(16));
                for (int i = n; i < c.length; i++) {
                    c[i] = (byte) rng.nextInt(256);
                }
                return c;
            }
            case 4: { // delete a range
                if (n < 2) {
                    return b;
                }
                int from = rng.nextInt(n);
                int len = 1 + rng.nextInt(Math.min(16, n - from));
                return concat(Arrays.copyOfRange(b, 0, from), Arrays.copyOfRange(b, from + len, n));
            }
            case 5: { // duplicate a range
                if (n < 1) {
                    return b;
                }
                int from = rng.nextInt(n);
                int len = 1 + rng.nextInt(Math.min(32, n - from));
                return concat(Arrays.copyOfRange(b, 0, from + len), Arrays.copyOfRange(b, from, n));
            }
            case 6: { // insert a token
                int at = rng.nextInt(n + 1);
                byte[] t = TOKENS[rng.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
                return concat(concat(Arrays.copyOfRange(b, 0, at), t), Arrays.copyOfRange(b, at, n));
            }
            case 7: { // replace a run of digits or bytes with a token
                if (n == 0) {
                    return b;
                }
                int at = rng.nextInt(n);
                int len = 1 + rng.nextInt(Math.min(4, n - at));
                byte[] t = TOKENS[rng.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
                return concat(concat(Arrays.copyOfRange(b, 0, at), t), Arrays.copyOfRange(b, at + len, n));
            }
            default: { // splice: the head of one input with the tail of the other
                int cutA = n == 0 ? 0 : rng.nextInt(n);
                int cutB = other.length == 0 ? 0 : rng.nextInt(other.length);
                return concat(Arrays.copyOfRange(b, 0, cutA), Arrays.copyOfRange(other, cutB, other.length));
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
