"""Fits the polynomial coefficients of org.lfssd.kernels.GeluApproximation and prints them as Java.

Run from the repository root with Debian's interpreter (numpy 1.24, mpmath 1.2; no scipy needed):

    /usr/bin/python3 lfssd-core/src/test/python/fit_erf.py

The printed constants are committed in GeluApproximation.java; the script is deterministic, so
re-running it reproduces them. It also prints the reference values hard-coded in GeluTest.

The form (see GeluApproximation's Javadoc for why):

  erfcx(z) = exp(z^2) erfc(z) = P(T) / (K + z),   T = (K - z) / (K + z),  z >= 0.

The Moebius map T sends z in [0, inf) to T in (-1, 1]; P is smooth there, and its monomial
coefficients stay of order one, so Horner's rule in float or double loses nothing to cancellation.
Two fits of P:

  double: z in [0, inf), for Erf (erfc, and erfcx, which is needed beyond 27 where erfc underflows)
          and the scalar GELU;
  float:  in the GELU variable u = |x| = z sqrt(2), i.e. H(u) = Phi(-u) exp(u^2/2) = P(T)/(K + u)
          with T = (K - u)/(K + u), u in [0, 16] (exp(-u^2/2) underflows float beyond 14.4),
          for the SIMD GELU; its K is a float so that T is formed without a rounded constant.

Each fit is a weighted least-squares fit in relative error at Chebyshev points, refined towards
minimax by Lawson's iteration (reweighting by the error, which flattens the error curve).
Near zero, erf(z) = z * sum_n c_n z^(2n) with the Taylor coefficients below.
"""

import mpmath as mp
import numpy as np

mp.mp.dps = 40

DOUBLE_K = 4.0
DOUBLE_DEGREE = 20
DOUBLE_ZMAX = float("inf")  # the whole half-line: T in (-1, 1], so erfcx is good for every z

FLOAT_K = 3.5  # in the GELU variable u, about 2.5 * sqrt(2)
FLOAT_DEGREE = 9
FLOAT_UMAX = 16.0

TAYLOR_TERMS = 12  # erf(z)/z to z^22: truncation < 1e-17 relative for |z| <= 0.5
POINTS = 1200
LAWSON_STEPS = 40


def erfcx(z):
    return mp.erfc(z) * mp.exp(z * z)


def chebyshev_points(lo, hi, n):
    k = np.arange(n)
    return (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (k + 0.5) / n)


def fit(target, k, xmax, degree):
    """Minimax-ish relative fit of target(x) * (k + x) as a polynomial in t = (k - x)/(k + x)."""
    tmin = -1.0 if xmax == float("inf") else float((k - xmax) / (k + xmax))
    t = chebyshev_points(tmin, 1.0, POINTS)
    x = [k * (1 - mp.mpf(ti)) / (1 + mp.mpf(ti)) for ti in t]
    f = np.array([float(target(xi) * (k + xi)) for xi in x])
    v = np.vander(t, degree + 1, increasing=True)
    base = 1 / np.abs(f)
    lawson = np.full(POINTS, 1.0 / POINTS)
    for _ in range(LAWSON_STEPS):
        w = base * np.sqrt(lawson)
        c = np.linalg.lstsq(v * w[:, None], f * w, rcond=None)[0]
        err = np.abs((v @ c - f) / f)
        lawson = lawson * err
        lawson /= lawson.sum()
    return c


def horner(c, t):
    r = np.zeros_like(t) + c[-1]
    for a in c[-2::-1]:
        r = r * t + a
    return r


def horner_float(c, t):
    """Float Horner with fused multiply-adds (a float product is exact in double, then one rounding)."""
    c = c.astype(np.float32)
    t = t.astype(np.float32)
    r = np.full_like(t, c[-1])
    for a in c[-2::-1]:
        r = (r.astype(np.float64) * t + np.float64(a)).astype(np.float32)
    return r


def check_double(c):
    z = np.concatenate([np.linspace(0, 30, 3001), np.logspace(1.5, 15, 200)])
    ref = np.array([float(erfcx(mp.mpf(zi))) for zi in z])
    t = (DOUBLE_K - z) / (DOUBLE_K + z)
    return np.max(np.abs(horner(c, t) / (DOUBLE_K + z) / ref - 1))


def h(u):
    """Phi(-u) exp(u^2/2) = erfcx(u / sqrt 2) / 2."""
    return erfcx(u / mp.sqrt(2)) / 2


def check_float(c):
    u = np.linspace(0, FLOAT_UMAX, 3001).astype(np.float32)
    ref = np.array([float(h(mp.mpf(float(ui)))) for ui in u])
    k = np.float32(FLOAT_K)
    inv = (np.float32(1) / (k + u)).astype(np.float32)
    t = ((k - u) * inv).astype(np.float32)
    got = (horner_float(c, t) * inv).astype(np.float32)
    return np.max(np.abs(got / ref - 1))


def java_array(name, values, comment):
    body = ",\n".join("        " + v for v in values)
    return f"    /** {comment} */\n    private static final double[] {name} = {{\n{body}\n    }};"


def java_floats(prefix, values):
    return "\n".join(f"    public static final float {prefix}{i} = {v}f;" for i, v in enumerate(values))


def main():
    cd = fit(erfcx, mp.mpf(DOUBLE_K), DOUBLE_ZMAX, DOUBLE_DEGREE)
    cf = fit(h, mp.mpf(FLOAT_K), FLOAT_UMAX, FLOAT_DEGREE)
    taylor = [2 / mp.sqrt(mp.pi) * (-1) ** n / (mp.factorial(n) * (2 * n + 1)) for n in range(TAYLOR_TERMS)]
    print(f"// double erfcx fit: K = {DOUBLE_K}, degree {DOUBLE_DEGREE}, max relative error {check_double(cd):.3g}")
    print(f"// float H fit: K = {FLOAT_K}, degree {FLOAT_DEGREE}, max relative error in float {check_float(cf):.3g}")
    print("// Erf.java")
    print(f"    private static final double K = {DOUBLE_K};")
    print(java_array("ERFCX", [repr(float(a)) for a in cd], "erfcx(z) (K + z) as a polynomial in T, ascending powers."))
    print(java_array("ERF_TAYLOR", [mp.nstr(a, 17) for a in taylor], "erf(z) / z as a polynomial in z^2, ascending powers."))
    print("// GeluApproximation.java")
    print(f"    public static final float K = {FLOAT_K}f;")
    print(java_floats("P", [repr(float(np.float32(a))) for a in cf]))
    print()
    print("// reference values for GeluTest (mpmath, 40 digits, printed to 17)")
    for z in ["-6", "-3", "-1", "-0.5", "-1e-8", "0.1", "0.4", "0.75", "2", "5", "10", "26"]:
        zz = mp.mpf(z)
        print(f"// erf({z}) = {mp.nstr(mp.erf(zz), 17)}, erfc({z}) = {mp.nstr(mp.erfc(zz), 17)}")
    for z in ["0", "0.5", "3", "27", "30", "1e5"]:
        print(f"// erfcx({z}) = {mp.nstr(erfcx(mp.mpf(z)), 17)}")
    for x in ["-12", "-9", "-5", "-2", "-0.7518", "-1e-3", "0.5", "1", "3", "8"]:
        xx = mp.mpf(float(np.float32(float(x))))
        cdf = mp.ncdf(xx)
        pdf = mp.npdf(xx)
        print(f"// x = {x}f: gelu = {mp.nstr(xx * cdf, 17)}, gelu' = {mp.nstr(cdf + xx * pdf, 17)}")


if __name__ == "__main__":
    main()
