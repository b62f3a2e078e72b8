package dev.sit.cli;

import dev.sit.core.config.ConfigException;
import dev.sit.core.plugin.PluginException;
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
            PluginsCommand.class,
            ForwardCommand.class,
            BenchCommand.class,
            ConvertCommand.class,
            VaeCommand.class,
            ExtractLatentsCommand.class,
            WandbSyncCommand.class,
            VersionCommand.class,
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
        CommandLine cl = new CommandLine(new SitCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof PluginException) {
                commandLine.getErr().println(e.getMessage());
                return EXIT_INVALID;
            }
            if (e instanceof CommandLine.ParameterException pe) {
                commandLine.getErr().println(pe.getMessage());
                pe.getCommandLine().usage(commandLine.getErr());
                return EXIT_INVALID;
            }
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (System.getenv("SIT_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(set SIT_DEBUG=1 for the stack trace)");
            }
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }
}
