package dev.sit.plugins.interpolants;

import dev.sit.api.transport.EndpointRule;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.SdeDrift;

/**
 * The variance-preserving path ({@code VPCPlan}) of score-based diffusion with a linear schedule:
 * <pre>
 *   m(t)  = -0.25 (1-t)^2 (sigma_max - sigma_min) - 0.5 (1-t) sigma_min
 *   dm(t) =  0.5 (1-t) (sigma_max - sigma_min) + 0.5 sigma_min
 *   alpha = exp(m),                   d_alpha = alpha dm
 *   sigma = sqrt(1 - exp(2m)),        d_sigma = exp(2m) (2 dm) / (-2 sigma)
 *   d_alpha / alpha = dm
 *   beta  = sigma_min + (1-t)(sigma_max - sigma_min);  drift_mean = -beta/2 x,  drift_var = beta / 2
 * </pre>
 * {@code alpha(0) = exp(m(0))} is small (about 0.0066 with the defaults) but not 0; only the data
 * end {@code t = 1} is singular ({@code sigma(1) = 0}), hence {@link EndpointRule#DATA_END}.
 */
public final class VpPath implements Interpolant {

    private final double sigmaMin;
    private final double sigmaMax;

    public VpPath(VpOptions options) {
        this.sigmaMin = options.sigmaMin();
        this.sigmaMax = options.sigmaMax();
    }

    /** The path with the reference's defaults (0.1, 20). */
    public VpPath() {
        this(VpOptions.defaults());
    }

    private double m(double t) {
        double s = 1.0 - t;
        return -0.25 * s * s * (sigmaMax - sigmaMin) - 0.5 * s * sigmaMin;
    }

    private double dm(double t) {
        return 0.5 * (1.0 - t) * (sigmaMax - sigmaMin) + 0.5 * sigmaMin;
    }

    @Override
    public double alpha(double t) {
        return Math.exp(m(t));
    }

    @Override
    public double dAlpha(double t) {
        return alpha(t) * dm(t);
    }

    @Override
    public double sigma(double t) {
        // 1 - exp(2m) as -expm1(2m): exact near t = 1 where the reference's float32 form cancels
        return Math.sqrt(-Math.expm1(2 * m(t)));
    }

    @Override
    public double dSigma(double t) {
        return Math.exp(2 * m(t)) * (2 * dm(t)) / (-2 * sigma(t));
    }

    @Override
    public double dAlphaOverAlpha(double t) {
        return dm(t);
    }

    @Override
    public SdeDrift sdeDrift(double t) {
        double beta = sigmaMin + (1.0 - t) * (sigmaMax - sigmaMin);
        return new SdeDrift(-0.5 * beta, beta / 2);
    }

    @Override
    public EndpointRule endpointRule() {
        return EndpointRule.DATA_END;
    }

    @Override
    public String toString() {
        return "VP";
    }
}
