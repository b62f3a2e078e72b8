package dev.sit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sit version}: this build's version, Java and ND4J versions. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of sit, Java and ND4J.")
public final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    /** Version lines for {@code sit --version} and {@code sit version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String sit = VersionCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "sit " + (sit == null ? "0.1.0-SNAPSHOT (development build)" : sit),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                "ND4J/SameDiff 1.0.0-M2.1"
            };
        }
    }
}
