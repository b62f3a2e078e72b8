package dev.sit.plugins.samplers;

import dev.sit.api.sampling.AdaptiveStep;
import dev.sit.api.sampling.OdeSystem;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An adaptive embedded Runge-Kutta solver with torchdiffeq 0.2.5's control, for any
 * {@link ButcherTableau} (dopri5, bosh3, adaptive_heun, dopri8):
 * <ul>
 *   <li>times in float64; each step's {@code t0}, {@code dt}, {@code t1} are rounded to float32
 *       for the stages ({@code t_i = t0 + alpha_i dt} in float32), and stages with
 *       {@code alpha_i = 1} are evaluated one float32 ulp below {@code t1};</li>
 *   <li>initial step by {@link HairerInitialStep}; error ratio
 *       {@code r = norm(err / (atol + rtol max(|y0|, |y1|)))} with {@link MixedRmsNorm};
 *       a step is accepted iff {@code r <= 1};</li>
 *   <li>next step {@code dt * 10} if {@code r == 0}, else
 *       {@code dt * min(10, max(0.9 r^(-1/order), r < 1 ? 1 : 0.2))};</li>
 *   <li>steps are not clipped to the output times nor to the end: the last step usually
 *       overshoots it; outputs come from {@link QuarticDenseOutput} of the step containing them.</li>
 * </ul>
 * Evaluations: 2 at the start ({@code f(t0, y0)} and the initial-step probe) plus
 * {@code stages - 1} per attempted step when first-same-as-last.
 */
public final class AdaptiveRungeKuttaSolver extends OdeintSolver {

    private static final double SAFETY = 0.9;
    private static final double INCREASE_FACTOR = 10.0;
    private static final double DECREASE_FACTOR = 0.2;

    private final ButcherTableau tableau;
    private final double atol;
    private final double rtol;
    private final float[] alpha;
    private final float[][] beta;
    private final float[] cSol;
    private final float[] cError;
    private final float[] cMid;
    private final boolean fsal;

    AdaptiveRungeKuttaSolver(ButcherTableau tableau, double atol, double rtol) {
        if (!(atol >= 0) || !(rtol >= 0) || atol + rtol == 0) {
            throw new IllegalArgumentException(tableau.name() + ": atol and rtol must be >= 0 and not both 0, got atol "
                    + atol + ", rtol " + rtol);
        }
        this.tableau = tableau;
        this.atol = atol;
        this.rtol = rtol;
        this.alpha = toFloat(tableau.alpha());
        this.beta = new float[tableau.beta().length][];
        for (int i = 0; i < beta.length; i++) {
            beta[i] = toFloat(tableau.beta()[i]);
        }
        this.cSol = toFloat(tableau.cSol());
        this.cError = toFloat(tableau.cError());
        this.cMid = toFloat(tableau.cMid());
        this.fsal = tableau.firstSameAsLast();
    }

    /** Dormand-Prince 5(4), torchdiffeq's and SiT's default. */
    public static AdaptiveRungeKuttaSolver dopri5(double atol, double rtol) {
        return new AdaptiveRungeKuttaSolver(ButcherTableau.dormandPrince5(), atol, rtol);
    }

    /** Bogacki-Shampine 3(2). */
    public static AdaptiveRungeKuttaSolver bosh3(double atol, double rtol) {
        return new AdaptiveRungeKuttaSolver(ButcherTableau.bogackiShampine3(), atol, rtol);
    }

    /** Heun-Euler 2(1). */
    public static AdaptiveRungeKuttaSolver adaptiveHeun(double atol, double rtol) {
        return new AdaptiveRungeKuttaSolver(ButcherTableau.heunEuler2(), atol, rtol);
    }

    /** Prince-Dormand 8(7). */
    public static AdaptiveRungeKuttaSolver dopri8(double atol, double rtol) {
        return new AdaptiveRungeKuttaSolver(DormandPrince8Tableau.create(), atol, rtol);
    }

    public String method() {
        return tableau.name();
    }

    @Override
    protected Integration integrate(OdeSystem f, INDArray[] y0, double[] ts, Output output) {
        double t = ts[0];
        INDArray[] y = y0;
        INDArray[] fy = f.derivative((float) t, y0);
        double dt = HairerInitialStep.select(f, t, y0, fy, tableau.order(), atol, rtol);
        QuarticDenseOutput dense = null;
        List<AdaptiveStep> history = new ArrayList<>();
        long accepted = 0;
        long rejected = 0;

        for (int i = 1; i < ts.length; i++) {
            double target = ts[i];
            while (dense == null || target > dense.end()) {
                if (!Double.isFinite(dt)) {
                    throw new IllegalStateException(method() + ": the step size became " + dt + " at t = " + t
                            + "; the vector field probably returned NaN or Inf");
                }
                double t1 = t + dt;
                if (!(t1 > t)) {
                    throw new IllegalStateException(method() + ": step size underflow at t = " + t + " (dt = " + dt
                            + "); loosen atol/rtol or check the vector field for a singularity");
                }
                if (!StateTuple.allFinite(y)) {
                    throw new IllegalStateException(method() + ": non-finite values in the state at t = " + t);
                }
                Step step = rungeKuttaStep(f, y, fy, t, dt, t1);
                double ratio = MixedRmsNorm.of(step.error, MixedRmsNorm.scale(y, step.y1, atol, rtol));
                if (Double.isNaN(ratio)) {
                    throw new IllegalStateException(method() + ": the error estimate is NaN in the step from t = " + t
                            + " (dt = " + dt + "); the vector field returned NaN or Inf");
                }
                boolean accept = ratio <= 1;
                double next = nextStep(dt, ratio);
                history.add(new AdaptiveStep(t, dt, accept, ratio, next));
                if (accept) {
                    accepted++;
                    INDArray[] yMid = StateTuple.plus(y, StateTuple.weightedSum(step.k, scaled(cMid, (float) dt), cMid.length));
                    dense = QuarticDenseOutput.fit(t, t1, (float) dt, y, step.y1, yMid, step.k[0], step.f1);
                    t = t1;
                    y = step.y1;
                    fy = step.f1;
                } else {
                    rejected++;
                }
                dt = next;
            }
            output.accept(dense.at(target));
        }
        return new Integration(accepted, rejected, history);
    }

    private record Step(INDArray[] y1, INDArray[] f1, INDArray[] error, INDArray[][] k) {
    }

    /** One Runge-Kutta step with float32 stage times and coefficients. */
    private Step rungeKuttaStep(OdeSystem f, INDArray[] y0, INDArray[] f0, double t0, double dt, double t1) {
        float t0f = (float) t0;
        float dtf = (float) dt;
        float t1f = (float) t1;
        int stages = tableau.stages();
        INDArray[][] k = new INDArray[stages][];
        k[0] = f0;
        INDArray[] yi = y0;
        for (int i = 0; i < alpha.length; i++) {
            // stages at the step's end are evaluated just before it, as torchdiffeq does
            float ti = alpha[i] == 1f ? Math.nextDown(t1f) : t0f + alpha[i] * dtf;
            yi = StateTuple.plus(y0, StateTuple.weightedSum(k, scaled(beta[i], dtf), i + 1));
            k[i + 1] = f.derivative(ti, yi);
        }
        INDArray[] y1 = fsal ? yi : StateTuple.plus(y0, StateTuple.weightedSum(k, scaled(cSol, dtf), stages));
        INDArray[] error = StateTuple.weightedSum(k, scaled(cError, dtf), stages);
        return new Step(y1, k[stages - 1], error, k);
    }

    private double nextStep(double dt, double ratio) {
        if (ratio == 0) {
            return dt * INCREASE_FACTOR;
        }
        double floor = ratio < 1 ? 1.0 : DECREASE_FACTOR;
        double factor = Math.min(INCREASE_FACTOR, Math.max(SAFETY / Math.pow(ratio, 1.0 / tableau.order()), floor));
        return dt * factor;
    }

    /** {@code coefficients * dt} in float32, as torchdiffeq's {@code beta_i * dt}. */
    private static float[] scaled(float[] coefficients, float dt) {
        float[] out = new float[coefficients.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = coefficients[j] * dt;
        }
        return out;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int j = 0; j < values.length; j++) {
            out[j] = (float) values[j];
        }
        return out;
    }
}
