package dev.sit.cli;

import picocli.CommandLine;

/** Entry point of the {@code sit} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(SitCommand.execute(args));
    }
}
