package dev.sit.core.engine;

import java.nio.file.Path;

/**
 * Where one sampler setting writes: the PNG grid (null: none), the raw final states as
 * {@code .npy} (null: not saved; a likelihood run also writes {@code <stem>-logp.npy} and
 * {@code <stem>-bpd.npy}), the whole trajectory as {@code .npy} (null: not kept), and the folder
 * of mass samples (its {@code .npz} goes next to it).
 */
public record SampleOutputs(Path grid, Path npy, Path trajectory, Path massDir) {

    /** {@code sit run}'s names in the run folder's samples/: {@code <base>.png}, {@code <base>.npy}, ... */
    public static SampleOutputs inFolder(Path samples, String base, boolean saveNpy, boolean keepTrajectory) {
        return new SampleOutputs(samples.resolve(base + ".png"), saveNpy ? samples.resolve(base + ".npy") : null,
                keepTrajectory ? samples.resolve(base + "-trajectory.npy") : null, samples.resolve(base));
    }

    /** A file next to {@code npy} with a suffix before the extension: out.npy, "-logp" gives out-logp.npy. */
    public static Path besideNpy(Path npy, String suffix) {
        String name = npy.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return npy.resolveSibling(stem + suffix + ".npy");
    }
}
