package dev.sit.cli;

import com.google.inject.ProvisionException;
import dev.sit.core.config.ConfigException;
import dev.sit.core.io.CheckpointFormatException;
import dev.sit.core.io.FileSystemFailure;
import dev.sit.core.io.InvalidInputException;
import dev.sit.core.plugin.PluginException;
import dev.sit.core.model.StateDictMismatchException;
import dev.sit.core.eval.InceptionWeightsNotFoundException;
import dev.sit.core.vae.VaeNotFoundException;
import dev.sit.core.vae.VaeWeightsMismatchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The error contract of every {@code sit} command, in one place: what a failure prints and the
 * exit code. Exit 2: the user's input is wrong (usage, experiment, plugins, files they named:
 * missing, unreadable, corrupt, of the wrong shape or values, or a path that is not a folder or
 * not writable). Exit 1: a runtime failure of a valid request (a full disk, a diverged run, a bug).
 * Messages are the exceptions' own (which name the file, key or flag, the cause and the fix);
 * file-system errors are put in plain words naming the flag whose value the path is. No Java
 * class names appear unless {@code SIT_DEBUG} is set, which adds the stack trace.
 *
 * @param exitCode {@link SitCommand#EXIT_INVALID} or {@link SitCommand#EXIT_FAILURE}
 * @param message  the text to print on stderr (without the debug stack trace)
 */
public record FailureReport(int exitCode, String message) {

    /** The report of {@code error}, thrown by the command of {@code parsed} (null when unknown). */
    public static FailureReport of(Throwable error, ParseResult parsed) {
        Throwable e = unwrap(error);
        String command = commandName(parsed);
        if (e instanceof ConfigException || e instanceof PluginException || e instanceof InvalidInputException
                || e instanceof CheckpointFormatException || e instanceof StateDictMismatchException
                || e instanceof VaeWeightsMismatchException || e instanceof VaeNotFoundException
                || e instanceof InceptionWeightsNotFoundException) {
            return new FailureReport(SitCommand.EXIT_INVALID, prefix(command, e) + e.getMessage());
        }
        if (e instanceof CharacterCodingException) {
            return new FailureReport(SitCommand.EXIT_INVALID, prefix(command, e) + "a file named on the command line"
                    + " is binary or not UTF-8 text, where a text file was expected; give the right file");
        }
        if (e instanceof IOException io) {
            Optional<String> setting = settingNaming(io, parsed);
            Optional<FileSystemFailure> fs = FileSystemFailure.of(io, setting.orElse(null));
            if (fs.isPresent()) {
                return new FailureReport(fs.get().userCanFix() ? SitCommand.EXIT_INVALID : SitCommand.EXIT_FAILURE,
                        prefix(command, e) + fs.get().message(setting.orElse(null)));
            }
        }
        String text = e.getMessage() == null || e.getMessage().isBlank()
                ? "an internal error without a message (set SIT_DEBUG=1 for the details and report it)"
                : e instanceof FileSystemException fse ? fse.getFile() + ": " + fse.getReason() : e.getMessage();
        return new FailureReport(SitCommand.EXIT_FAILURE, prefix(command, e) + text);
    }

    /** The cause hidden under wrappers that add nothing (Guice, futures, unchecked I/O). */
    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e.getCause() != null && e.getCause() != e && (e instanceof UncheckedIOException
                || e instanceof ProvisionException || e instanceof ExecutionException
                || e instanceof CompletionException || e instanceof CommandLine.ExecutionException)) {
            e = e.getCause();
        }
        return e;
    }

    private static String prefix(String command, Throwable e) {
        // ConfigException lists its problems with file:line:column; it needs no "error:" word
        if (e instanceof ConfigException) {
            return "";
        }
        return command == null ? "error: " : command + ": error: ";
    }

    private static String commandName(ParseResult parsed) {
        if (parsed == null) {
            return null;
        }
        ParseResult p = parsed;
        List<String> names = new ArrayList<>();
        names.add(p.commandSpec().name());
        while (p.hasSubcommand()) {
            p = p.subcommand();
            names.add(p.commandSpec().name());
        }
        if (!names.get(0).equals("sit")) {
            names.add(0, "sit");
        }
        return String.join(" ", names);
    }

    /**
     * The flag or parameter whose value is the failing path or one of its folders, e.g.
     * {@code --out} for a failure on {@code out/x.npy}'s parent, so the fix can say what to change.
     */
    static Optional<String> settingNaming(IOException error, ParseResult parsed) {
        if (!(error instanceof FileSystemException fs) || fs.getFile() == null || parsed == null) {
            return Optional.empty();
        }
        Path failing = Path.of(fs.getFile()).toAbsolutePath().normalize();
        Optional<String> best = Optional.empty();
        int bestDepth = -1;
        for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            List<ArgSpec> args = new ArrayList<>(p.matchedOptions());
            args.addAll(p.matchedPositionals());
            for (ArgSpec arg : args) {
                for (Path value : paths(arg.getValue())) {
                    Path named = value.toAbsolutePath().normalize();
                    // the value itself, a file under it, or (for an output) its folder
                    boolean related = failing.startsWith(named) || named.startsWith(failing);
                    if (related && named.getNameCount() > bestDepth) {
                        bestDepth = named.getNameCount();
                        best = Optional.of(arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel());
                    }
                }
            }
        }
        return best;
    }

    private static List<Path> paths(Object value) {
        List<Path> out = new ArrayList<>();
        if (value instanceof Path p) {
            out.add(p);
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> out.addAll(paths(v)));
        }
        return out;
    }
}
