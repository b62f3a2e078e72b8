package dev.sit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code sit} command; subcommands do the work. */
@Command(name = "sit", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Train and sample SiT (Scalable Interpolant Transformers) on the JVM.",
        subcommands = {VersionCommand.class, CommandLine.HelpCommand.class})
public final class SitCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and returns the exit code (2 for usage and validation errors). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new SitCommand());
        cl.setExitCodeExceptionMapper(e -> 1);
        return cl.execute(args);
    }
}
