package dev.sit.core.eval;

import java.nio.file.Path;

/** The FID Inception weights file is missing; the message says where to download it. */
public final class InceptionWeightsNotFoundException extends IllegalStateException {

    /** Where pytorch-fid publishes the port of the TF 2015 Inception-v3 used by FID. */
    public static final String DOWNLOAD_URL =
            "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth";

    public InceptionWeightsNotFoundException(String message) {
        super(message);
    }

    /** The message for a path that does not exist (or no path at all, {@code file == null}). */
    public static InceptionWeightsNotFoundException at(Path file, String flag) {
        String what = file == null ? "no FID Inception weights were given"
                : "FID Inception weights " + file + ": no such file";
        return new InceptionWeightsNotFoundException(what + ". Download pt_inception-2015-12-05-6726825d.pth"
                + " (92 MB, pytorch-fid's port of the TF 2015 Inception-v3 that FID is defined with) from "
                + DOWNLOAD_URL + " and pass it with " + flag + " FILE.pth");
    }
}
