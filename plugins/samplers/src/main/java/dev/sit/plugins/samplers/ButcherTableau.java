package dev.sit.plugins.samplers;

import java.util.Arrays;

/**
 * An explicit embedded Runge-Kutta method: stage times {@code alpha} (the nodes after the first),
 * stage weights {@code beta[i]} (row i has i+1 entries), solution weights {@code cSol}, error
 * weights {@code cError} (solution minus embedded solution) and the weights {@code cMid} that give
 * the state at the step's midpoint for dense output; all over the stages
 * {@code k_0 = f(t0, y0), ..., k_s}. Coefficients are kept in float64 as published and rounded
 * to float32 where they meet float32 states, as torchdiffeq does.
 *
 * @param order the order used in the step-size control exponent {@code 1/order}
 */
record ButcherTableau(String name, int order, double[] alpha, double[][] beta, double[] cSol, double[] cError,
        double[] cMid) {

    ButcherTableau {
        int stages = alpha.length + 1;
        if (beta.length != alpha.length) {
            throw new IllegalArgumentException(name + ": " + alpha.length + " nodes but " + beta.length + " beta rows");
        }
        for (int i = 0; i < beta.length; i++) {
            if (beta[i].length != i + 1) {
                throw new IllegalArgumentException(name + ": beta row " + i + " has " + beta[i].length + " entries, not " + (i + 1));
            }
        }
        if (cSol.length != stages || cError.length != stages || cMid.length != stages) {
            throw new IllegalArgumentException(name + ": solution, error and midpoint weights need " + stages + " entries");
        }
    }

    /** Number of stages including {@code k_0}. */
    int stages() {
        return alpha.length + 1;
    }

    /**
     * First same as last: the last stage is evaluated at the new solution, so {@code y1} is that
     * stage's input and {@code f1} is reused as the next step's {@code k_0}.
     */
    boolean firstSameAsLast() {
        double[] last = beta[beta.length - 1];
        return cSol[cSol.length - 1] == 0 && Arrays.equals(Arrays.copyOf(cSol, cSol.length - 1), last);
    }

    /** Dormand-Prince 5(4) (the Shampine variant torchdiffeq uses), with its 4th-order dense output. */
    static ButcherTableau dormandPrince5() {
        return new ButcherTableau("dopri5", 5,
                new double[] {1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0, 1.0},
                new double[][] {
                    {1.0 / 5},
                    {3.0 / 40, 9.0 / 40},
                    {44.0 / 45, -56.0 / 15, 32.0 / 9},
                    {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
                    {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
                    {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
                },
                new double[] {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0},
                new double[] {
                    35.0 / 384 - 1951.0 / 21600,
                    0,
                    500.0 / 1113 - 22642.0 / 50085,
                    125.0 / 192 - 451.0 / 720,
                    -2187.0 / 6784 - -12231.0 / 42400,
                    11.0 / 84 - 649.0 / 6300,
                    -1.0 / 60.0,
                },
                new double[] {
                    6025192743.0 / 30085553152.0 / 2, 0, 51252292925.0 / 65400821598.0 / 2,
                    -2691868925.0 / 45128329728.0 / 2, 187940372067.0 / 1594534317056.0 / 2,
                    -1776094331.0 / 19743644256.0 / 2, 11237099.0 / 235043384.0 / 2,
                });
    }

    /** Bogacki-Shampine 3(2). */
    static ButcherTableau bogackiShampine3() {
        return new ButcherTableau("bosh3", 3,
                new double[] {1.0 / 2, 3.0 / 4, 1.0},
                new double[][] {
                    {1.0 / 2},
                    {0, 3.0 / 4},
                    {2.0 / 9, 1.0 / 3, 4.0 / 9},
                },
                new double[] {2.0 / 9, 1.0 / 3, 4.0 / 9, 0},
                new double[] {2.0 / 9 - 7.0 / 24, 1.0 / 3 - 1.0 / 4, 4.0 / 9 - 1.0 / 3, -1.0 / 8},
                new double[] {0, 0.5, 0, 0});
    }

    /**
     * Heun-Euler 2(1). Not first-same-as-last: the last stage is evaluated at the Euler predictor,
     * and torchdiffeq still hands it on as the next step's {@code k_0}; reproduced as is.
     */
    static ButcherTableau heunEuler2() {
        return new ButcherTableau("adaptive_heun", 2,
                new double[] {1.0},
                new double[][] {{1.0}},
                new double[] {0.5, 0.5},
                new double[] {0.5, -0.5},
                new double[] {0.5, 0});
    }
}
