package dev.sit.core.vae;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decode (and encode) speed of the real SD VAE architecture at 256x256 with random weights, and peak resident
 * memory. A measurement, not a test: runs only with {@code -Dsit.vae.bench=true}; sizes via
 * {@code -Dsit.vae.bench.images=8 -Dsit.vae.bench.batch=4}.
 */
@EnabledIfSystemProperty(named = "sit.vae.bench", matches = "true")
class VaeDecodeSpeedTest {

    @Test
    void decodeImagesPerSecondAt256() throws Exception {
        int images = Integer.getInteger("sit.vae.bench.images", 8);
        int batch = Integer.getInteger("sit.vae.bench.batch", 4);
        boolean encode = Boolean.getBoolean("sit.vae.bench.encode");
        VaeConfig config = VaeConfig.stableDiffusion();
        long t0 = System.nanoTime();
        AutoencoderKl vae = new AutoencoderKl(VaeWeights.random(config, 0, 0.02), batch);
        System.out.printf("random SD VAE weights (%,d parameters) in %.1f s, VmHWM %s%n",
                config.parameterCount().total(), (System.nanoTime() - t0) / 1e9, vmHwm());
        INDArray latents = Nd4j.randn(DataType.FLOAT, images, 4, 32, 32).muli(config.scalingFactor());
        vae.decode(latents.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(batch, images))).dup());
        System.out.printf("warm-up batch done, VmHWM %s%n", vmHwm());
        long[] checksum = {0};
        long cpu0 = cpuNanos();
        long start = System.nanoTime();
        t0 = start;
        vae.decode(latents, (first, out) -> {
            checksum[0] += out.size(0);
            System.out.printf("  images %d..%d at %.1f s, VmHWM %s%n", first, first + out.size(0) - 1,
                    (System.nanoTime() - start) / 1e9, vmHwm());
        });
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("DECODE 256x256: %d images, batch %d: %.2f s, %.3f images/s, %.2f s/image, %.2f CPU s/image;"
                + " VmHWM %s%n", checksum[0], batch, s, images / s, s / images, (cpuNanos() - cpu0) / 1e9 / images, vmHwm());
        if (encode) {
            INDArray x = Nd4j.rand(DataType.FLOAT, images, 3, 256, 256).muli(2).subi(1);
            vae.encode(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(batch, images))).dup(),
                    LatentSampling.SAMPLE, 0);
            t0 = System.nanoTime();
            cpu0 = cpuNanos();
            vae.encode(x, LatentSampling.SAMPLE, 0);
            s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ENCODE 256x256: %d images, batch %d: %.2f s, %.3f images/s, %.2f CPU s/image; VmHWM %s%n",
                    images, batch, s, images / s, (cpuNanos() - cpu0) / 1e9 / images, vmHwm());
        }
    }

    /** CPU time of the whole process (all threads, native included): independent of other load on the machine. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String vmHwm() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM")) {
                return line.substring(6).trim();
            }
        }
        return "?";
    }
}
