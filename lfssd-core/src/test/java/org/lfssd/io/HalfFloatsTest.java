package org.lfssd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exhaustive checks of the 16-bit conversions: every pattern, every rounding midpoint. */
class HalfFloatsTest {

    private static boolean isHalfNaN(int h) {
        return (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
    }

    /** The value of a binary16 pattern from the definition, in double. */
    private static double halfValue(int h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        double magnitude = exp == 0 ? Math.scalb((double) mant, -24)
                : exp == 0x1F ? Double.POSITIVE_INFINITY : Math.scalb(1 + mant / 1024.0, exp - 15);
        return sign == 1 ? -magnitude : magnitude;
    }

    @Test
    void halfWideningMatchesTheDefinitionAndRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.halfToFloat((short) h);
            if (isHalfNaN(h)) {
                assertTrue(Float.isNaN(f), "pattern " + Integer.toHexString(h));
                assertTrue(isHalfNaN(HalfFloats.floatToHalf(f) & 0xFFFF), "NaN stays NaN: " + Integer.toHexString(h));
                continue;
            }
            assertEquals(halfValue(h), (double) f, 0.0, "pattern " + Integer.toHexString(h));
            // Signed zeros included: compare bit patterns, not values.
            assertEquals(h, HalfFloats.floatToHalf(f) & 0xFFFF, "round trip of " + Integer.toHexString(h));
        }
    }

    @Test
    void halfNarrowingRoundsMidpointsToEvenAndEverythingElseToNearest() {
        for (int sign = 0; sign <= 0x8000; sign += 0x8000) {
            for (int m = 0; m < 0x7C00; m++) { // every finite magnitude and its upper neighbour (0x7C00 = infinity)
                int lo = sign | m;
                int hi = sign | (m + 1);
                double loValue = halfValue(lo);
                // Past the largest finite half, rounding treats infinity as the next "value" 2^16.
                double hiValue = m + 1 == 0x7C00 ? (sign == 0 ? 65536.0 : -65536.0) : halfValue(hi);
                float mid = (float) ((loValue + hiValue) / 2); // exact: one more significand bit than a half
                assertEquals((loValue + hiValue) / 2, (double) mid, 0.0);
                int even = (m & 1) == 0 ? lo : hi;
                assertEquals(even, HalfFloats.floatToHalf(mid) & 0xFFFF, "tie at " + mid);
                float towardsLo = sign == 0 ? Math.nextDown(mid) : Math.nextUp(mid);
                float towardsHi = sign == 0 ? Math.nextUp(mid) : Math.nextDown(mid);
                assertEquals(lo, HalfFloats.floatToHalf(towardsLo) & 0xFFFF, "just below the tie at " + mid);
                assertEquals(hi, HalfFloats.floatToHalf(towardsHi) & 0xFFFF, "just above the tie at " + mid);
            }
        }
        assertEquals(0x7C00, HalfFloats.floatToHalf(Float.MAX_VALUE) & 0xFFFF);
        assertEquals(0xFC00, HalfFloats.floatToHalf(Float.NEGATIVE_INFINITY) & 0xFFFF);
        assertEquals(0x8000, HalfFloats.floatToHalf(-Float.MIN_VALUE) & 0xFFFF, "underflow keeps the sign");
        assertEquals(0x7E00, HalfFloats.floatToHalf(Float.NaN) & 0xFFFF, "canonical quiet NaN");
    }

    @Test
    void bfloat16IsExhaustivelyRoundToNearestEven() {
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.bf16ToFloat((short) b);
            assertEquals(b << 16, Float.floatToRawIntBits(f));
            boolean nan = (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0;
            if (nan) {
                assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(f))));
                continue;
            }
            assertEquals(b, HalfFloats.floatToBf16(f) & 0xFFFF);
            if ((b & 0x7FFF) >= 0x7F80) {
                continue; // infinity has no upper neighbour
            }
            int mid = (b << 16) + 0x8000; // halfway to the next pattern, in float bits
            int even = (b & 1) == 0 ? b : b + 1;
            assertEquals(even, HalfFloats.floatToBf16(Float.intBitsToFloat(mid)) & 0xFFFF, "tie above " + f);
            assertEquals(b, HalfFloats.floatToBf16(Float.intBitsToFloat(mid - 1)) & 0xFFFF);
            assertEquals((b + 1) & 0xFFFF, HalfFloats.floatToBf16(Float.intBitsToFloat(mid + 1)) & 0xFFFF);
        }
        assertEquals(0x7FC0, HalfFloats.floatToBf16(Float.NaN) & 0xFFFF);
        assertEquals(0x7F80, HalfFloats.floatToBf16(Float.MAX_VALUE) & 0xFFFF, "rounds up to infinity");
    }

    /** On JDK 20+ the platform's own conversion is an independent referee for random floats. */
    @Test
    void agreesWithThePlatformConversionWhereAvailable() throws Exception {
        Method platform;
        try {
            platform = Float.class.getMethod("floatToFloat16", float.class);
        } catch (NoSuchMethodException e) {
            return; // JDK 17: covered by the exhaustive tests above
        }
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(rng.nextInt());
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals((short) platform.invoke(null, f), HalfFloats.floatToHalf(f), "for " + f);
        }
    }
}
