package dev.sit.api.transport;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The distribution of the training times {@code t} in [0, 1], in SiT's convention: {@code t = 0} is
 * pure noise and {@code t = 1} is data ({@code x_t = alpha(t) x1 + sigma(t) x0}).
 *
 * <p>The host maps a draw {@code u} of this distribution onto the transport's training interval
 * [t0, t1] (the eps rules of the reference) after the optional resolution shift
 * {@code transport.time_shift = s}: {@code t = t0 + (t1 - t0) shift_s(u)} with
 * {@code shift_s(u) = u / (s - (s - 1) u)}, so a sampler never needs to know the interval.
 *
 * <p>The bundled samplers:
 * <ul>
 *   <li>{@code uniform}: {@code u ~ U[0, 1]} (the reference; CDF {@code F(t) = t});</li>
 *   <li>{@code logit-normal}: {@code u = 1 / (1 + exp(-(m + s n)))}, {@code n ~ N(0, 1)} (SD3), so
 *       {@code logit(u) ~ N(m, s^2)} and {@code F(t) = Phi((logit(t) - m) / s)}; {@code m > 0}
 *       favours the data end;</li>
 *   <li>{@code mode}: {@code u = f(v)}, {@code f(v) = 1 - v - c (cos^2(pi v / 2) - 1 + v)},
 *       {@code v ~ U[0, 1]}, {@code -1 <= c <= 2 / (pi - 2)} (SD3's mode sampling with heavy tails;
 *       {@code f(1 - v) = 1 - f(v)}, so the distribution is symmetric about 1/2 and the same in either
 *       time convention; {@code c > 0} favours the middle); {@code F(t) = 1 - f^-1(t)}.</li>
 * </ul>
 *
 * <p>The {@link #cdf} is part of the contract: the test kit ({@code TimeSamplerContract}) checks the
 * draws against it (Kolmogorov-Smirnov) and it documents the distribution exactly.
 */
public interface TimeSampler {

    /**
     * {@code n} times in [0, 1] as a float32 vector, drawn only from {@code draws} (tensor ops, no
     * other randomness), so that a seeded run is reproducible.
     */
    INDArray sample(long n, RandomDraws draws);

    /** The distribution function {@code F(t) = P(T <= t)} on [0, 1]: 0 at 0, 1 at 1, non-decreasing. */
    double cdf(double t);

    /**
     * True when the distribution is U[0, 1]: the host then draws {@code t ~ U[t0, t1]} directly, as the
     * reference does, so default runs keep the reference's exact draws.
     */
    default boolean isUniform() {
        return false;
    }
}
