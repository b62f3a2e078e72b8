package dev.sit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code sit} command; subcommands do the work. */
@Command(name = "sit", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Train and sample SiT (Scalable Interpolant Transformers) on the JVM.",
        subcommands = {
            RunCommand.class,
            SampleCommand.class,
            EvalCommand.class,
            ValidateCommand.class,
            SweepCommand.class,
            PluginsCommand.class,
            ForwardCommand.class,
            BenchCommand.class,
            ConvertCommand.class,
            VaeCommand.class,
            ExtractLatentsCommand.class,
            WandbSyncCommand.class,
            VersionCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class})
public final class SitCommand implements Runnable {

    /** Exit code of a run that failed at runtime. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of usage and validation errors. */
    public static final int EXIT_INVALID = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and returns the exit code (2 for usage and validation errors). */
    public static int execute(String... args) {
        return withErrorContract(new CommandLine(new SitCommand())).execute(args);
    }

    /**
     * Runs a command's body whose own checks of its arguments throw {@link IllegalArgumentException}
     * (a bad --in, sizes that do not fit): those are the user's input, reported by the error
     * contract with exit code 2 like every other command's.
     */
    static int checkingArguments(java.util.concurrent.Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (IllegalArgumentException e) {
            throw e instanceof dev.sit.core.io.InvalidInputException ? e
                    : new dev.sit.core.io.InvalidInputException(e.getMessage(), e);
        }
    }

    /**
     * Installs the error contract ({@link FailureReport}) on a command line: the one place where
     * a command's failure becomes a message and an exit code.
     */
    public static CommandLine withErrorContract(CommandLine cl) {
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException pe) {
                commandLine.getErr().println(pe.getMessage());
                pe.getCommandLine().usage(commandLine.getErr());
                return EXIT_INVALID;
            }
            FailureReport report = FailureReport.of(e, parseResult);
            commandLine.getErr().println(report.message());
            if (System.getenv("SIT_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            } else if (report.exitCode() == EXIT_FAILURE) {
                commandLine.getErr().println("(set SIT_DEBUG=1 for the stack trace)");
            }
            commandLine.getErr().flush();
            return report.exitCode();
        });
        return cl;
    }
}
