package dev.sit.core.engine;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.sampling.DiffusionForm;
import dev.sit.api.sampling.LastStep;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.sampling.SdeSolver;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.SampleSection;
import dev.sit.core.config.SamplerMode;
import java.util.Locale;

/**
 * One {@code sample:} entry with its plugins made once: the ODE solver, or the SDE solver with its
 * diffusion form and last step. The SDE interval follows what the plugins declare
 * ({@link DiffusionForm#singularAtStart()}, {@link LastStep#isIdentity()}), never their names.
 *
 * @param index    the entry's position in {@code sample:}
 * @param settings the entry's settings
 * @param method   the solver's name as registered (for file names and messages)
 * @param ode      the ODE solver (ODE mode), else null
 * @param sde      the SDE solver (SDE mode), else null
 * @param form     the diffusion form (SDE mode), else null
 * @param lastStep the last step (SDE mode), else null
 * @param lastStepName the last step's registered name (SDE mode), else null
 * @param seed     the sampling seed: the entry's, else the experiment's
 */
public record ResolvedSampler(int index, SampleSection settings, String method, OdeSolver ode, SdeSolver sde,
                              DiffusionForm form, LastStep lastStep, String lastStepName, long seed) {

    /** Entry {@code k} of the experiment's {@code sample:} list. */
    public static ResolvedSampler of(ResolvedExperiment resolved, int k) {
        SampleSection s = resolved.experiment().sample().get(k);
        String key = "sample." + k;
        String method = resolved.plugins().get(key + ".method").name();
        long seed = s.seed() != null ? s.seed() : resolved.experiment().seed();
        if (s.mode() == SamplerMode.ODE) {
            return new ResolvedSampler(k, s, method, resolved.create(key + ".method", ExtensionPoint.ODE_SOLVER),
                    null, null, null, null, seed);
        }
        return new ResolvedSampler(k, s, method, null, resolved.create(key + ".method", ExtensionPoint.SDE_SOLVER),
                resolved.create(key + ".diffusion_form", ExtensionPoint.DIFFUSION_FORM),
                resolved.create(key + ".last_step", ExtensionPoint.LAST_STEP),
                resolved.plugins().get(key + ".last_step").name(), seed);
    }

    /** The last step's size as the SDE uses it: 0 for an identity last step (the reference's "None"). */
    public double effectiveLastStepSize() {
        return lastStep.isIdentity() ? 0.0 : settings.lastStepSize();
    }

    /** {@code ode-0-dopri5}: the stem of this entry's files in a run folder's samples/. */
    public String baseName() {
        return String.format(Locale.ROOT, "%s-%d-%s", settings.mode().name().toLowerCase(Locale.ROOT), index, method);
    }
}
