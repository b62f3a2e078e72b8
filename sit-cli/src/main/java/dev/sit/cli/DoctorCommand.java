package dev.sit.cli;

import dev.sit.core.backend.BackendReport;
import dev.sit.core.backend.ComputeDevice;
import dev.sit.core.backend.CudaSupport;
import dev.sit.core.model.ComputeSettings;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code sit doctor}: the backend in use and what it sees, whether this build runs on it, and the
 * support matrix. Exit 0 when every device is supported, 1 when a GPU is not.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show the ND4J backend in use, its version, the CPU's SIMD level or the GPUs it sees "
                + "(name, compute capability, memory), and whether this build supports them.")
public final class DoctorCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        BackendReport r = BackendReport.inspect();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "backend:      %s (ND4J %s)%n", r.backend(), r.nd4jVersion());
        out.printf(Locale.ROOT, "native build: %s%s%n", r.build(), r.isCuda() ? "" : ", compiled for " + r.buildSimd());
        if (!r.isCuda()) {
            out.printf(Locale.ROOT, "this CPU:     %s%s%n", r.cpuSimd(),
                    r.cpuFlags().isEmpty() ? "" : " (flags: " + String.join(" ", r.cpuFlags()) + ")");
        }
        out.printf(Locale.ROOT, "threads:      %d logical processors, %d OpenMP threads; BLAS %s; host memory for ND4J %.1f GiB%n",
                r.cores(), r.ompThreads(), r.blasVendor(), r.hostMemory() / (double) (1L << 30));
        if (r.devices().isEmpty()) {
            out.println("GPUs:         none" + (r.isCuda() ? " visible to the CUDA backend" : " (the CPU backend uses none)"));
        }
        for (ComputeDevice d : r.devices()) {
            out.printf(Locale.ROOT, "GPU %d:        %s, compute capability %s, %.1f GiB: %s%n", d.index(), d.name(),
                    d.computeCapability(), d.totalMemory() / (double) (1L << 30), d.supported() ? "supported" : "NOT supported");
        }
        List<String> problems = CudaSupport.problems(r.devices());
        out.println("status:       " + (problems.isEmpty() ? "ok, this build runs here" : String.join("; ", problems)));
        out.println("builds and what they run on:");
        CudaSupport.MATRIX.forEach(line -> out.println("  - " + line));
        out.println("memory:       " + ComputeSettings.memoryMode());
        List<String> advice = ComputeSettings.environmentAdvice();
        advice.forEach(a -> out.println("advice:       " + a));
        return problems.isEmpty() ? 0 : SitCommand.EXIT_FAILURE;
    }
}
