package dev.sit.plugins.interpolants;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.NoOptions;
import dev.sit.api.transport.Interpolant;
import dev.sit.core.plugin.PluginJarBuilder;
import dev.sit.core.plugin.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The third-party example plugin (examples/plugin-example: a cosine path written as plain Java),
 * compiled into its own jar and loaded through plugin discovery, as a user would install it.
 */
final class ExamplePlugin {

    private static Interpolant cosine;

    private ExamplePlugin() {
    }

    /** alpha = (1 - cos(pi t)) / 2, sigma = (1 + cos(pi t)) / 2. */
    static synchronized Interpolant cosine() {
        if (cosine == null) {
            Path example = Path.of("..", "..", "examples", "plugin-example");
            try {
                Path folder = Files.createTempDirectory("example-plugin");
                new PluginJarBuilder()
                        .sourceTree(example.resolve("src/main/java"))
                        .resourceTree(example.resolve("src/main/resources"))
                        .build(folder.resolve("sit-plugin-example.jar"));
                cosine = PluginRegistry.discover(List.of(folder)).create(ExtensionPoint.INTERPOLANT, "Cosine", new NoOptions());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cosine;
    }
}
