package dev.sit.plugins.loggers;

import dev.sit.api.Doc;

/** Options of the {@code console} logger. */
public record ConsoleLoggerOptions(
        @Doc("text log file, relative to the run folder (absolute paths allowed); empty for none")
        String file,
        @Doc("print the lines to standard output as well")
        Boolean stdout,
        @Doc("prefix each line with [yyyy-MM-dd HH:mm:ss] local time, as the reference does")
        Boolean timestamps) {

    public ConsoleLoggerOptions {
        file = file == null ? "log.txt" : file;
        stdout = stdout == null ? Boolean.TRUE : stdout;
        timestamps = timestamps == null ? Boolean.TRUE : timestamps;
    }

    public static ConsoleLoggerOptions defaults() {
        return new ConsoleLoggerOptions(null, null, null);
    }
}
