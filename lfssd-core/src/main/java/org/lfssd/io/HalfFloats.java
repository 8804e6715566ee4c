package org.lfssd.io;

/**
 * Conversions between float32 and the two 16-bit float formats, written out by hand because Java 17
 * has no {@code Float.floatToFloat16}. Widening is exact; narrowing rounds to nearest, ties to even,
 * overflows to infinity, keeps signed zeros, and turns NaNs into quiet NaNs of the same sign.
 */
final class HalfFloats {
    private HalfFloats() {}

    /** IEEE binary16 bits to float32 (exact). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24, exact in float32 (mant has at most 10 bits).
            float magnitude = mant * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** float32 to IEEE binary16 bits, round to nearest even. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            if (mant == 0) {
                return (short) (sign | 0x7C00);
            }
            // Keep the top payload bits and force the quiet bit so the result stays a NaN.
            return (short) (sign | 0x7C00 | 0x200 | (mant >>> 13));
        }
        int halfExp = exp - 127 + 15;
        if (halfExp >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExp <= 0) {
            // Result is a subnormal half (or zero): the magnitude in units of 2^-24 is the full
            // 24-bit significand shifted right by 14 - halfExp. Below 2^-25 everything rounds to zero.
            if (halfExp < -10) {
                return (short) sign;
            }
            int significand = mant | 0x800000;
            int shift = 14 - halfExp;
            int half = significand >>> shift;
            int rest = significand & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
                half++; // may carry into the smallest normal, whose encoding follows on directly
            }
            return (short) (sign | half);
        }
        int half = (halfExp << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // a carry out of the mantissa bumps the exponent; past the largest finite it gives infinity
        }
        return (short) (sign | half);
    }

    /** bfloat16 bits to float32 (exact: bfloat16 is the top half of a float32). */
    static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /** float32 to bfloat16 bits, round to nearest even. */
    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x7FFFFF) != 0) {
            return (short) ((bits >>> 16) | 0x40); // quiet NaN, same sign
        }
        // Adding 0x7FFF plus the lowest kept bit rounds half-way cases towards the even neighbour.
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
