package org.lfssd.kernels;

import java.util.Locale;

/**
 * Reads the library's knobs: a system property ({@code lfssd.threads}) or, when that is absent, the
 * environment variable of the same name in upper case with dots as underscores ({@code LFSSD_THREADS}).
 * The library only ever reads these; it never sets a global property.
 */
public final class Config {
    private Config() {}

    /**
     * The knob's value: the system property, else the environment variable, else {@code defaultValue}.
     *
     * @param key          the property name, e.g. {@code lfssd.threads}
     * @param defaultValue returned when neither is set (or both are blank)
     * @return the trimmed value
     */
    public static String get(String key, String defaultValue) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            v = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    /**
     * One of {@code allowed}, case-insensitively; anything else is an error naming the knob and the choices.
     *
     * @param key          the property name
     * @param defaultValue the value when unset
     * @param allowed      the accepted values, lower case
     * @return the value, lower case
     */
    public static String choice(String key, String defaultValue, String... allowed) {
        String v = get(key, defaultValue).toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new IllegalArgumentException(key + "=" + v + " is not one of " + String.join("|", allowed));
    }

    /**
     * A positive integer knob; anything else is an error naming the knob.
     *
     * @param key          the property name
     * @param defaultValue the value when unset
     * @return the value
     */
    public static int positiveInt(String key, int defaultValue) {
        return intAtLeast(key, defaultValue, 1, "a positive integer");
    }

    /**
     * A non-negative integer knob; anything else is an error naming the knob.
     *
     * @param key          the property name
     * @param defaultValue the value when unset
     * @return the value
     */
    public static int nonNegativeInt(String key, int defaultValue) {
        return intAtLeast(key, defaultValue, 0, "a non-negative integer");
    }

    private static int intAtLeast(String key, int defaultValue, int min, String what) {
        String v = get(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(key + "=" + v + " is not " + what);
    }
}
