package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Feature extraction spread over the processes of a cluster ({@code sit eval features --spark MASTER}): the images
 * are cut into partitions of whole batches, each process makes the extractor once and returns its partitions' feature
 * rows, and the caller's process gets them concatenated in index order. The extractor sees the batches a
 * single-process {@link FeatureExtraction#run} sees, so the rows are the same bits and the feature file written from
 * them the same bytes. Implementations are found with {@link ServiceLoader} ({@code sit-spark} provides the Spark one).
 */
public interface ClusterFeatureExtraction {

    /**
     * One feature extraction job.
     *
     * @param images the image file or folder ({@link ImageSource#open}), readable by every process (absolute)
     * @param batch  images per forward pass (the partitions are whole batches)
     */
    record Request(String master, String images, ExtractorRecipe extractor, int batch) implements java.io.Serializable {
    }

    /** The word of the command line that selects it ({@code spark}). */
    String name();

    /**
     * The features of every image, one (N, D) float matrix per layer of the extractor, in index order; one progress
     * bar for the whole job goes to {@code progress}. {@code made} is the caller's extractor of the same recipe, lent
     * to tasks that run in this process (local mode) so that its weights are not loaded again; the caller closes it.
     */
    Map<String, INDArray> run(Request request, FeatureExtractor made, PrintStream progress) throws Exception;

    /** The implementation named {@code name} on the class path, if any. */
    static Optional<ClusterFeatureExtraction> find(String name) {
        for (ClusterFeatureExtraction c : ServiceLoader.load(ClusterFeatureExtraction.class)) {
            if (c.name().equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
