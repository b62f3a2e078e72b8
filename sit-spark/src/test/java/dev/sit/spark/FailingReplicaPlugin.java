package dev.sit.spark;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.api.data.DatasetSource;
import dev.sit.core.data.ShapesOptions;
import dev.sit.core.data.ShapesSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.TaskContext;

/**
 * Test-only dataset source {@code fail-once-shapes}: the {@code shapes} data, except that in the Spark
 * task of partition 1 its {@code fail_at_load}-th batch throws, once (the marker file is deleted), as
 * a dead replica in the middle of training would.
 */
public final class FailingReplicaPlugin implements SitPlugin {

    /** YAML keys {@code size}, {@code fail_at_load}, {@code marker}. */
    public record Options(Long size, Integer failAtLoad, String marker) {
    }

    @Override
    public java.util.List<PluginFactory<?, ?>> factories() {
        return java.util.List.of(PluginFactory.of(ExtensionPoint.DATASET_SOURCE, "fail-once-shapes",
                "test: shapes whose replica 1 fails once at a given batch", Options.class, FailOnce::new));
    }

    private record FailOnce(Options options) implements DatasetSource {
        @Override
        public Dataset open(DatasetContext context) throws IOException {
            Dataset shapes = new ShapesSource(new ShapesOptions(options.size(), null, null)).open(context);
            return new Dataset() {
                private int loads;

                @Override
                public long size() {
                    return shapes.size();
                }

                @Override
                public long[] exampleShape() {
                    return shapes.exampleShape();
                }

                @Override
                public int numClasses() {
                    return shapes.numClasses();
                }

                @Override
                public Batch load(long[] indices, long augmentationSeed) {
                    loads++;
                    TaskContext task = TaskContext.get();
                    Path marker = Path.of(options.marker());
                    if (task != null && task.partitionId() == 1 && loads == options.failAtLoad() && Files.exists(marker)) {
                        try {
                            Files.delete(marker);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        throw new IllegalStateException("injected failure of replica 1 at batch " + loads);
                    }
                    return shapes.load(indices, augmentationSeed);
                }

                @Override
                public void close() throws Exception {
                    shapes.close();
                }
            };
        }
    }
}
