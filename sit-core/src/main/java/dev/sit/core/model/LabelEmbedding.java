package dev.sit.core.model;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The reference's {@code LabelEmbedder} lookup: row {@code y} of the table (num_classes + 1 rows,
 * the last being the null label), computed as one-hot(y) times the table because the backward pass
 * of ND4J's {@code gather} is broken. Label dropout is applied to the labels before the graph
 * ({@link LabelDropout}), so the graph is the same in training and evaluation.
 */
final class LabelEmbedding {

    private LabelEmbedding() {
    }

    static SDVariable build(GraphScope g, SDVariable y) {
        SDVariable table = g.param("y_embedder.embedding_table.weight");
        SDVariable oneHot = g.sd.oneHot(y, g.config.labelTableRows(), -1, 1.0, 0.0, g.dtype);
        return g.sd.mmul("y_emb", oneHot, table);
    }
}
