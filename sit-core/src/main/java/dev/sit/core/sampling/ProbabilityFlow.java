package dev.sit.core.sampling;

import dev.sit.api.sampling.VectorField;
import dev.sit.api.transport.Affine;
import dev.sit.core.transport.Transport;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The probability-flow ODE drift {@code v(x, t) = a(t) out(x, t) + b(t) x} of a model output
 * {@code out} (SIT-SPEC section 3, the transport's affine conversion), and its vector-Jacobian
 * product {@code e^T dv/dx = a(t) (e^T d out/dx) + b(t) e}, for ODE sampling and likelihoods with
 * any prediction target.
 */
public final class ProbabilityFlow {

    private ProbabilityFlow() {
    }

    /** {@code v(x, t)} from the model output (one model call per evaluation). */
    public static VectorField velocity(Transport transport, VectorField model) {
        return (x, t) -> transport.velocity(x, model.drift(x, t), t);
    }

    /** {@code e^T dv/dx} from the model's vector-Jacobian product (one model VJP per evaluation). */
    public static VectorJacobianProduct velocityVjp(Transport transport, VectorJacobianProduct modelVjp) {
        return (x, t, e) -> {
            Affine affine = transport.velocityAffine(t);
            INDArray result = modelVjp.vjp(x, t, e).mul(affine.outCoefficient());
            if (affine.xCoefficient() != 0) {
                result.addi(e.mul(affine.xCoefficient()));
            }
            return result;
        };
    }
}
