package dev.sit.core.transport;

import dev.sit.core.random.SeededNativeRandom;
import dev.sit.api.transport.Affine;
import dev.sit.api.transport.EndpointRule;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;
import dev.sit.api.transport.TimeSampler;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A path, a prediction target and a loss weight combined, as the reference's
 * {@code create_transport} does (SIT-SPEC sections 1 to 4): the eps rules, the training and
 * sampling intervals ({@code check_interval}), the training loss and the conversions of a model
 * output to the ODE drift and the score.
 *
 * <p>Scalar coefficients are computed in double from each sample's {@code t} and applied to whole
 * float32 tensors (broadcast as (N, 1, ..., 1) columns); nothing loops over tensor elements.
 *
 * <p>Inside a SameDiff training graph use {@link TrainingLoss}: this class draws {@code t}, {@code x0}
 * and builds {@code xt} and the regression target ({@link #sampleTraining}); the graph receives them
 * as placeholders. The SDE pieces for samplers are {@link #driftMean}, {@link #driftVar},
 * {@link #velocityAffine}, {@link #scoreAffine} and {@link #samplingCoefficients} (for diffusion forms).
 *
 * <p>Reference behaviour kept on purpose (each has a test named after it):
 * <ul>
 *   <li>the default of {@code sample_eps} is chosen by testing whether {@code train_eps} was
 *       given: a given {@code sample_eps} is ignored when {@code train_eps} is not, and
 *       {@code sample_eps} stays unset when only {@code train_eps} is given (sampling then fails,
 *       here with a clear message);</li>
 *   <li>Linear/GVP-like paths ({@link EndpointRule#BOTH_ENDS}) with a velocity target force both
 *       eps to 0, whatever was given, so an SDE with the SBDM diffusion starts at {@code t0 = 0}
 *       where SBDM is infinite;</li>
 *   <li>a velocity target ignores the loss weight (the reference does so silently; this class
 *       logs one warning (java.util.logging, logger {@code dev.sit.core.transport.Transport}) when
 *       the transport is created, see {@link #ignoredWeightWarning()}).</li>
 * </ul>
 */
public final class Transport {

    private static final Logger LOG = Logger.getLogger(Transport.class.getName());

    /** Default {@code train_eps} of {@link EndpointRule#DATA_END} paths (VP). */
    public static final double DATA_END_TRAIN_EPS = 1e-5;
    /** Default {@code sample_eps} of {@link EndpointRule#DATA_END} paths (VP). */
    public static final double DATA_END_SAMPLE_EPS = 1e-3;
    /** Default of both eps for {@link EndpointRule#BOTH_ENDS} paths with a non-velocity target. */
    public static final double BOTH_ENDS_EPS = 1e-3;
    /** Every eps must lie in [0, MAX_EPS). */
    public static final double MAX_EPS = 0.5;

    private final Interpolant path;
    private final PredictionTarget target;
    private final LossWeight weight;
    private final double trainEps;
    private final Double sampleEps;
    private final String ignoredWeightWarning;
    private final TimeSampler timeSampler;
    private final TimeShift timeShift;

    private Transport(Interpolant path, PredictionTarget target, LossWeight weight, double trainEps, Double sampleEps,
            String ignoredWeightWarning, TimeSampler timeSampler, TimeShift timeShift) {
        this.path = path;
        this.target = target;
        this.weight = weight;
        this.trainEps = trainEps;
        this.sampleEps = sampleEps;
        this.ignoredWeightWarning = ignoredWeightWarning;
        this.timeSampler = timeSampler;
        this.timeShift = timeShift;
    }

    /**
     * This transport with another distribution of the training times: {@code t = t0 + (t1 - t0) shift(u)},
     * {@code u} from {@code sampler}, on the same training interval [t0, t1] (the eps rules are kept).
     * Without this call the times are the reference's {@code U[t0, t1]} ({@code sampler} null).
     */
    public Transport withTimeSampling(TimeSampler sampler, TimeShift shift) {
        return new Transport(path, target, weight, trainEps, sampleEps, ignoredWeightWarning,
                sampler, Objects.requireNonNull(shift, "shift"));
    }

    /** The time sampler of training (null: the reference's uniform draw). */
    public Optional<TimeSampler> timeSampler() {
        return Optional.ofNullable(timeSampler);
    }

    /** The shift applied to the training times. */
    public TimeShift timeShift() {
        return timeShift;
    }

    /**
     * The reference's {@code create_transport(path, prediction, loss_weight, train_eps, sample_eps)}.
     *
     * <ul>
     *   <li>{@link EndpointRule#DATA_END} (VP): {@code train_eps = given or 1e-5};
     *       {@code sample_eps = 1e-3} if train_eps was NOT given, else the given sample_eps (possibly unset).</li>
     *   <li>{@link EndpointRule#BOTH_ENDS} (Linear, GVP), target not velocity: the same with 1e-3 and 1e-3.</li>
     *   <li>{@link EndpointRule#BOTH_ENDS} with a velocity target: both 0, whatever was given.</li>
     * </ul>
     *
     * @param trainEps  the given train_eps, or null for the default
     * @param sampleEps the given sample_eps, or null for the default
     * @throws IllegalArgumentException if a given eps is not in [0, 0.5)
     */
    public static Transport create(Interpolant path, PredictionTarget target, LossWeight weight, Double trainEps,
            Double sampleEps) {
        Objects.requireNonNull(path, "path (interpolant) must not be null");
        Objects.requireNonNull(target, "prediction target must not be null");
        Objects.requireNonNull(weight, "loss weight must not be null (use the 'none' weight)");
        checkEps("train_eps", trainEps);
        checkEps("sample_eps", sampleEps);

        double train;
        Double sample;
        EndpointRule rule = Objects.requireNonNull(path.endpointRule(), "path.endpointRule() returned null");
        if (rule == EndpointRule.DATA_END) {
            train = trainEps == null ? DATA_END_TRAIN_EPS : trainEps;
            sample = trainEps == null ? Double.valueOf(DATA_END_SAMPLE_EPS) : sampleEps;
        } else if (!target.isVelocity()) {
            train = trainEps == null ? BOTH_ENDS_EPS : trainEps;
            sample = trainEps == null ? Double.valueOf(BOTH_ENDS_EPS) : sampleEps;
        } else {
            // velocity on a path regular at both ends: the reference forces 0 (the given values are dropped)
            train = 0.0;
            sample = 0.0;
        }

        String warning = null;
        if (target.isVelocity() && !weight.isUniform()) {
            warning = "loss weight '" + weight + "' is ignored with the velocity prediction target: the velocity "
                    + "loss is never weighted (the reference ignores the weight silently); use loss weight 'none'";
            LOG.warning(warning);
        }
        return new Transport(path, target, weight, train, sample, warning, null, TimeShift.NONE);
    }

    private static void checkEps(String name, Double eps) {
        if (eps != null && !(eps >= 0 && eps < MAX_EPS)) {
            throw new IllegalArgumentException(name + " must be in [0, " + MAX_EPS + ") (it trims the time interval "
                    + "[0, 1] at its singular ends), got " + eps + "; leave it unset for the default");
        }
    }

    public Interpolant path() {
        return path;
    }

    public PredictionTarget target() {
        return target;
    }

    /** The loss weight as given (see {@link #weightIgnored()}). */
    public LossWeight weight() {
        return weight;
    }

    /** True when the loss weight has no effect because the target is velocity. */
    public boolean weightIgnored() {
        return ignoredWeightWarning != null;
    }

    /** The warning logged at creation when the weight is ignored, if it was. */
    public Optional<String> ignoredWeightWarning() {
        return Optional.ofNullable(ignoredWeightWarning);
    }

    /** The eps of training, as chosen by {@link #create}. */
    public double trainEps() {
        return trainEps;
    }

    /** False only in the reference's quirk where train_eps was given and sample_eps was not. */
    public boolean hasSampleEps() {
        return sampleEps != null;
    }

    /**
     * The eps of sampling, as chosen by {@link #create}.
     *
     * @throws IllegalStateException when it is unset (train_eps given without sample_eps)
     */
    public double sampleEps() {
        if (sampleEps == null) {
            throw new IllegalStateException("sample_eps is unset: the reference's create_transport leaves it unset "
                    + "(and later fails) when train_eps is given without sample_eps; give sample_eps as well "
                    + "(for example sample_eps: " + (path.endpointRule() == EndpointRule.DATA_END
                            ? DATA_END_SAMPLE_EPS : BOTH_ENDS_EPS) + ")");
        }
        return sampleEps;
    }

    /**
     * The reference's {@code check_interval}: start from [0, 1]; eps is train_eps in training and
     * sample_eps otherwise;
     * <ul>
     *   <li>{@link EndpointRule#DATA_END}: {@code t1 = 1 - eps}, or {@code 1 - lastStepSize} for an SDE with
     *       {@code lastStepSize > 0};</li>
     *   <li>{@link EndpointRule#BOTH_ENDS}, only if the target is not velocity or the sampler is an SDE:
     *       {@code t0 = eps} if (SDE with SBDM) or the target is not velocity, else 0; {@code t1} as above;</li>
     *   <li>reverse: {@code (t0, t1) = (1 - t0, 1 - t1)}.</li>
     * </ul>
     */
    public Interval interval(IntervalRequest request) {
        Objects.requireNonNull(request, "request");
        double eps = request.forTraining() ? trainEps : sampleEps();
        double t0 = 0.0;
        double t1 = 1.0;
        double end = (request.sde() && request.lastStepSize() != 0.0) ? 1.0 - request.lastStepSize() : 1.0 - eps;
        if (path.endpointRule() == EndpointRule.DATA_END) {
            t1 = end;
        } else if (!target.isVelocity() || request.sde()) {
            t0 = ((request.sde() && request.sbdmDiffusion()) || !target.isVelocity()) ? eps : 0.0;
            t1 = end;
        }
        if (request.reverse()) {
            t0 = 1.0 - t0;
            t1 = 1.0 - t1;
        }
        return new Interval(t0, t1);
    }

    /**
     * All path coefficients at {@code t} in [0, 1].
     *
     * @throws IllegalArgumentException if t is not in [0, 1]
     */
    public PathCoefficients coefficients(double t) {
        if (!(t >= 0.0 && t <= 1.0)) {
            throw new IllegalArgumentException("t must be in [0, 1] (0 is noise, 1 is data), got " + t);
        }
        return path.at(t);
    }

    /**
     * The coefficients for sampling at any finite {@code t}: adaptive solvers (dopri5, as torchdiffeq
     * does) step past the end of the interval and evaluate the drift there, and {@code t + dt} of a
     * fixed grid may round to just above 1; the path formulas are then extrapolated, as in the
     * reference. Every sampling conversion of this class uses it.
     *
     * @throws IllegalArgumentException if t is NaN or infinite
     */
    public PathCoefficients samplingCoefficients(double t) {
        if (!Double.isFinite(t)) {
            throw new IllegalArgumentException("t must be a finite time, got " + t);
        }
        return path.at(t);
    }

    // ---------------------------------------------------------------- training

    /** {@link #sampleTraining(INDArray, Random)} with a fresh ND4J random generator seeded with {@code seed}. */
    public TrainingSample sampleTraining(INDArray x1, long seed) {
        try (Random rng = SeededNativeRandom.of(seed)) {
            return sampleTraining(x1, rng);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the random generator failed", e);
        }
    }

    /**
     * Draws {@code x0 ~ N(0, I)} (shape of x1) and per-sample times on the training interval [t0, t1]
     * from {@code rng}, then builds the sample as {@link #trainingSample} does. The times are
     * {@code U[t0, t1]} as in the reference, or with a time sampler and shift
     * {@code t0 + (t1 - t0) shift(u)}, {@code u} drawn by the sampler from the same generator.
     */
    public TrainingSample sampleTraining(INDArray x1, Random rng) {
        Objects.requireNonNull(rng, "rng");
        checkBatch("x1", x1);
        Interval interval = interval(IntervalRequest.training());
        INDArray x0 = Nd4j.createUninitialized(DataType.FLOAT, x1.shape());
        Nd4j.getExecutioner().exec(new GaussianDistribution(x0, 0.0, 1.0), rng);
        INDArray t = trainingTimes(x1.size(0), interval, rng);
        return trainingSample(x1, x0, t);
    }

    /** {@code n} training times on {@code interval}, drawn from {@code rng} (see {@link #sampleTraining}). */
    public INDArray trainingTimes(long n, Interval interval, Random rng) {
        boolean reference = (timeSampler == null || timeSampler.isUniform()) && timeShift.isIdentity();
        if (reference) {
            // the reference's draw, bit for bit
            INDArray t = Nd4j.createUninitialized(DataType.FLOAT, n);
            Nd4j.getExecutioner().exec(new UniformDistribution(t, interval.t0(), interval.t1()), rng);
            return t;
        }
        INDArray u = timeSampler == null ? new GeneratorDraws(rng).uniform(n) : timeSampler.sample(n, new GeneratorDraws(rng));
        if (u.length() != n) {
            throw new IllegalStateException("time sampler " + timeSampler + " returned " + u.length() + " times for " + n
                    + " samples");
        }
        INDArray t = timeShift.applyInPlace(u.castTo(DataType.FLOAT).reshape(n).dup());
        t.muli(interval.t1() - interval.t0()).addi(interval.t0());
        // float rounding must not leave the interval
        double lo = Math.min(interval.t0(), interval.t1());
        double hi = Math.max(interval.t0(), interval.t1());
        return org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(t, lo, false), hi, false);
    }

    /**
     * The training sample for given draws (t is NOT clipped to the training interval):
     * {@code xt = alpha x1 + sigma x0} and the target of {@link PredictionTarget#regression}, with
     * the loss weight (1 for a velocity target).
     *
     * @param x1 data (N, ...), float32
     * @param x0 noise, same shape
     * @param t  times (N), each in [0, 1]
     */
    public TrainingSample trainingSample(INDArray x1, INDArray x0, INDArray t) {
        checkBatch("x1", x1);
        checkSameShape("x0", x0, "x1", x1);
        double[] times = checkTimes(t, x1.size(0));
        x1 = asFloat(x1);
        x0 = asFloat(x0);
        int n = times.length;
        double[] alpha = new double[n];
        double[] sigma = new double[n];
        double[] outScale = new double[n];
        double[] x1Coefficient = new double[n];
        double[] x0Coefficient = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            PathCoefficients c = coefficients(times[i]);
            Regression r = target.regression(c);
            alpha[i] = c.alpha();
            sigma[i] = c.sigma();
            outScale[i] = r.outScale();
            x1Coefficient[i] = r.x1Coefficient();
            x0Coefficient[i] = r.x0Coefficient();
            w[i] = target.isVelocity() ? 1.0 : weight.weight(c);
        }
        int rank = x1.rank();
        INDArray xt = combine(x1, alpha, x0, sigma, rank);
        INDArray regressionTarget = combine(x1, x1Coefficient, x0, x0Coefficient, rank);
        return new TrainingSample(x1, x0, asFloat(t).reshape(n), xt, regressionTarget,
                BatchColumns.column(outScale, rank), BatchColumns.vector(w));
    }

    /**
     * The per-sample loss, shape (N): {@code weight * mean_over_non_batch((outScale * out - target)^2)}.
     */
    public INDArray perSampleLoss(TrainingSample sample, INDArray modelOut) {
        Objects.requireNonNull(sample, "sample");
        checkSameShape("model output", modelOut, "x1", sample.x1());
        INDArray diff = asFloat(modelOut).mul(sample.outScale());
        diff.subi(sample.target());
        diff.muli(diff);
        int[] dims = new int[diff.rank() - 1];
        for (int d = 1; d < diff.rank(); d++) {
            dims[d - 1] = d;
        }
        return diff.mean(dims).reshape(sample.batchSize()).muli(sample.weight());
    }

    /** The batch loss: the mean of {@link #perSampleLoss}. */
    public double loss(TrainingSample sample, INDArray modelOut) {
        return perSampleLoss(sample, modelOut).meanNumber().doubleValue();
    }

    // ---------------------------------------------------------------- sampling

    /** The ODE drift of the target at one t, as an affine map of (model output, state). */
    public Affine velocityAffine(double t) {
        return target.toVelocity(samplingCoefficients(t));
    }

    /** The score of the target at one t, as an affine map of (model output, state). */
    public Affine scoreAffine(double t) {
        return target.toScore(samplingCoefficients(t));
    }

    /** The probability-flow ODE drift {@code v(x, t)} from the model output {@code out} at one time for the batch. */
    public INDArray velocity(INDArray x, INDArray modelOut, double t) {
        checkSameShape("model output", modelOut, "x", x);
        return apply(velocityAffine(t), asFloat(modelOut), asFloat(x));
    }

    /** The ODE drift with one time per sample ({@code t} of shape (N)), as the reference's {@code get_drift}. */
    public INDArray velocity(INDArray x, INDArray modelOut, INDArray t) {
        checkSameShape("model output", modelOut, "x", x);
        double[] times = checkFiniteTimes(t, x.size(0));
        Affine[] affines = new Affine[times.length];
        for (int i = 0; i < times.length; i++) {
            affines[i] = velocityAffine(times[i]);
        }
        return apply(affines, asFloat(modelOut), asFloat(x));
    }

    /** The score {@code grad log p_t(x)} from the model output at one time for the batch. */
    public INDArray score(INDArray x, INDArray modelOut, double t) {
        checkSameShape("model output", modelOut, "x", x);
        return apply(scoreAffine(t), asFloat(modelOut), asFloat(x));
    }

    /** The score with one time per sample ({@code t} of shape (N)), as the reference's {@code get_score}. */
    public INDArray score(INDArray x, INDArray modelOut, INDArray t) {
        checkSameShape("model output", modelOut, "x", x);
        double[] times = checkFiniteTimes(t, x.size(0));
        Affine[] affines = new Affine[times.length];
        for (int i = 0; i < times.length; i++) {
            affines[i] = scoreAffine(times[i]);
        }
        return apply(affines, asFloat(modelOut), asFloat(x));
    }

    /** The path's SDE drift term {@code drift_mean = meanCoefficient(t) * x} (compute_drift's first output), a new array. */
    public INDArray driftMean(INDArray x, double t) {
        return asFloat(x).mul(samplingCoefficients(t).driftMeanCoefficient());
    }

    /** The path's scalar {@code drift_var(t)} (compute_drift's second output). */
    public double driftVar(double t) {
        return samplingCoefficients(t).driftVar();
    }

    // ---------------------------------------------------------------- tensor plumbing

    /** {@code a * ca + b * cb} with per-sample coefficients; terms whose coefficients are all 0 are skipped. */
    private static INDArray combine(INDArray a, double[] ca, INDArray b, double[] cb, int rank) {
        boolean useA = !BatchColumns.all(ca, 0.0);
        boolean useB = !BatchColumns.all(cb, 0.0);
        if (!useA && !useB) {
            return Nd4j.zeros(DataType.FLOAT, a.shape());
        }
        INDArray result = useA ? scaled(a, ca, rank) : scaled(b, cb, rank);
        if (useA && useB) {
            result.addi(scaled(b, cb, rank));
        }
        return result;
    }

    /** A new array {@code a * c} with a per-sample coefficient. */
    private static INDArray scaled(INDArray a, double[] c, int rank) {
        if (BatchColumns.all(c, c[0])) {
            return a.mul(c[0]);
        }
        return a.mul(BatchColumns.column(c, rank));
    }

    private static INDArray apply(Affine affine, INDArray out, INDArray x) {
        INDArray result = out.mul(affine.outCoefficient());
        if (affine.xCoefficient() != 0.0) {
            result.addi(x.mul(affine.xCoefficient()));
        }
        return result;
    }

    private static INDArray apply(Affine[] affines, INDArray out, INDArray x) {
        int n = affines.length;
        double[] outCoefficient = new double[n];
        double[] xCoefficient = new double[n];
        for (int i = 0; i < n; i++) {
            outCoefficient[i] = affines[i].outCoefficient();
            xCoefficient[i] = affines[i].xCoefficient();
        }
        INDArray result = scaled(out, outCoefficient, out.rank());
        if (!BatchColumns.all(xCoefficient, 0.0)) {
            result.addi(scaled(x, xCoefficient, x.rank()));
        }
        return result;
    }

    private static INDArray asFloat(INDArray a) {
        return a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
    }

    private static void checkBatch(String name, INDArray a) {
        Objects.requireNonNull(a, name);
        if (a.rank() < 2 || a.size(0) < 1) {
            throw new IllegalArgumentException(name + " must be a batch (N, ...) with N >= 1 and rank >= 2, got shape "
                    + Arrays.toString(a.shape()));
        }
    }

    private static void checkSameShape(String name, INDArray a, String otherName, INDArray other) {
        Objects.requireNonNull(a, name);
        Objects.requireNonNull(other, otherName);
        if (!Arrays.equals(a.shape(), other.shape())) {
            throw new IllegalArgumentException(name + " must have the shape of " + otherName + " "
                    + Arrays.toString(other.shape()) + ", got " + Arrays.toString(a.shape()));
        }
    }

    private static double[] timesOf(INDArray t, long batch) {
        Objects.requireNonNull(t, "t");
        if (t.length() != batch || (t.rank() > 1 && t.size(0) != batch)) {
            throw new IllegalArgumentException("t must hold one time per sample, shape (" + batch + "), got shape "
                    + Arrays.toString(t.shape()));
        }
        return t.castTo(DataType.DOUBLE).reshape(batch).toDoubleVector();
    }

    private static double[] checkTimes(INDArray t, long batch) {
        double[] times = timesOf(t, batch);
        for (int i = 0; i < times.length; i++) {
            if (!(times[i] >= 0.0 && times[i] <= 1.0)) {
                throw new IllegalArgumentException("t[" + i + "] must be in [0, 1] (0 is noise, 1 is data), got " + times[i]);
            }
        }
        return times;
    }

    private static double[] checkFiniteTimes(INDArray t, long batch) {
        double[] times = timesOf(t, batch);
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i])) {
                throw new IllegalArgumentException("t[" + i + "] must be a finite time, got " + times[i]);
            }
        }
        return times;
    }

    @Override
    public String toString() {
        return "Transport[path=" + path + ", target=" + target + ", weight=" + weight + ", train_eps=" + trainEps
                + ", sample_eps=" + sampleEps + (timeSampler == null ? "" : ", time_sampler=" + timeSampler)
                + (timeShift.isIdentity() ? "" : ", time_shift=" + timeShift.factor()) + "]";
    }
}
