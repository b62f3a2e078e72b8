package dev.sit.plugins.samplers;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.util.List;

/**
 * The bundled samplers: ODE solvers with torchdiffeq's semantics, SDE solvers, diffusion forms
 * and last-step rules, under the names SiT's command line uses.
 */
public final class SamplersPlugin implements SitPlugin {

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "euler",
                        "explicit Euler on the output grid (1 evaluation per step)", EulerSolver::new),
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "midpoint",
                        "explicit midpoint on the output grid (2 evaluations per step)", MidpointSolver::new),
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "rk4",
                        "torchdiffeq's rk4: Kutta's 3/8 rule on the output grid (4 evaluations per step)",
                        ThreeEighthsRk4Solver::new),
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "heun2",
                        "Heun's 2nd-order method on the output grid (2 evaluations per step)", Heun2Solver::new),
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "heun3",
                        "Heun's 3rd-order method on the output grid (3 evaluations per step)", Heun3Solver::new),
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "dopri5",
                        "adaptive Dormand-Prince 5(4) (default); num_steps only sets the output points",
                        AdaptiveSolverOptions.class, o -> AdaptiveRungeKuttaSolver.dopri5(o.atol(), o.rtol())),
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "bosh3",
                        "adaptive Bogacki-Shampine 3(2); num_steps only sets the output points",
                        AdaptiveSolverOptions.class, o -> AdaptiveRungeKuttaSolver.bosh3(o.atol(), o.rtol())),
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "adaptive_heun",
                        "adaptive Heun-Euler 2(1); num_steps only sets the output points",
                        AdaptiveSolverOptions.class, o -> AdaptiveRungeKuttaSolver.adaptiveHeun(o.atol(), o.rtol())),
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "dopri8",
                        "adaptive Prince-Dormand 8(7); num_steps only sets the output points",
                        AdaptiveSolverOptions.class, o -> AdaptiveRungeKuttaSolver.dopri8(o.atol(), o.rtol())),

                PluginFactory.of(ExtensionPoint.SDE_SOLVER, "Euler",
                        "Euler-Maruyama (1 drift evaluation per step)", EulerMaruyamaSolver::new),
                PluginFactory.of(ExtensionPoint.SDE_SOLVER, "Heun",
                        "noise, then a Heun step (2 drift evaluations per step)", StochasticHeunSolver::new),

                PluginFactory.of(ExtensionPoint.DIFFUSION_FORM, "constant", "w(t) = norm",
                        () -> DiffusionForms.CONSTANT),
                PluginFactory.of(ExtensionPoint.DIFFUSION_FORM, "SBDM", "w(t) = norm * drift_var(t) (score-based models)",
                        () -> DiffusionForms.SBDM),
                PluginFactory.of(ExtensionPoint.DIFFUSION_FORM, "sigma", "w(t) = norm * sigma(t)",
                        () -> DiffusionForms.SIGMA),
                PluginFactory.of(ExtensionPoint.DIFFUSION_FORM, "linear", "w(t) = norm * (1 - t)",
                        () -> DiffusionForms.LINEAR),
                PluginFactory.of(ExtensionPoint.DIFFUSION_FORM, "decreasing", "w(t) = 0.25 * (norm * cos(pi t) + 1)^2",
                        () -> DiffusionForms.DECREASING),
                PluginFactory.of(ExtensionPoint.DIFFUSION_FORM, "increasing-decreasing", "w(t) = norm * sin(pi t)^2",
                        () -> DiffusionForms.INCREASING_DECREASING)
                        .withAliases("inccreasing-decreasing"),

                PluginFactory.of(ExtensionPoint.LAST_STEP, "None", "no last step", () -> LastSteps.NONE),
                PluginFactory.of(ExtensionPoint.LAST_STEP, "Mean", "x + f(x, t1) h with the SDE drift f",
                        () -> LastSteps.MEAN),
                PluginFactory.of(ExtensionPoint.LAST_STEP, "Tweedie",
                        "x / alpha + sigma^2 / alpha * score (Tweedie's denoiser)", () -> LastSteps.TWEEDIE),
                PluginFactory.of(ExtensionPoint.LAST_STEP, "Euler", "x + v(x, t1) h with the ODE drift v",
                        () -> LastSteps.EULER));
    }
}
