package dev.sit.spark;

import dev.sit.core.engine.ClusterMassSampling;
import dev.sit.core.vae.ClusterLatentExtraction;
import dev.sit.core.vae.LatentExtraction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.util.LongAccumulator;

/**
 * One Spark task of a latent extraction: encodes the images {@code [from, to)} of a partition of whole shards
 * ({@link LatentExtraction#encodePartition}) into its staging folder, then moves the finished shard files into the
 * output folder, so a failed attempt leaves only its staging folder (deleted by its retry and by the driver). Adds
 * each encoded batch to {@code encoded}: the driver's progress bar. Returns the latents written.
 */
final class ExtractShardsTask implements Function<long[], Long> {

    private static final long serialVersionUID = 1L;

    private final ClusterLatentExtraction.Request request;
    private final LongAccumulator encoded;

    ExtractShardsTask(ClusterLatentExtraction.Request request, LongAccumulator encoded) {
        this.request = request;
        this.encoded = encoded;
    }

    @Override
    public Long call(long[] range) throws Exception {
        Path out = Path.of(request.out());
        Path staging = ClusterMassSampling.stagingFolder(out, range[0]);
        VaeEncoder encoder = VaeEncoder.LOADED.borrow(request);
        try {
            deleteFolder(staging); // what an earlier attempt of this partition left
            long[] reported = {range[0]};
            long latents = LatentExtraction.encodePartition(encoder.images(), encoder.vae(), staging, request.settings(),
                    range[0], range[1], end -> {
                        encoded.add(end - reported[0]);
                        reported[0] = end;
                    });
            List<Path> files;
            try (Stream<Path> list = Files.list(staging)) {
                files = list.sorted().toList();
            }
            for (Path f : files) {
                Files.move(f, out.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            deleteFolder(staging);
            return latents;
        } finally {
            VaeEncoder.LOADED.giveBack(request, encoder);
        }
    }

    private static void deleteFolder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
