package dev.sit.cli;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.NoOptions;
import dev.sit.api.testkit.InterpolantContract;
import dev.sit.api.transport.Interpolant;
import dev.sit.core.plugin.PluginJarBuilder;
import dev.sit.core.plugin.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The example plugin's interpolant, loaded from its jar through discovery, passes the test kit. */
class ExamplePluginContractTest extends InterpolantContract {

    private static Interpolant loaded;

    @Override
    protected synchronized Interpolant interpolant() {
        if (loaded == null) {
            try {
                Path folder = Files.createTempDirectory("example-plugin");
                new PluginJarBuilder()
                        .sourceTree(ExamplePluginTest.EXAMPLE.resolve("src/main/java"))
                        .resourceTree(ExamplePluginTest.EXAMPLE.resolve("src/main/resources"))
                        .build(folder.resolve("example.jar"));
                loaded = PluginRegistry.discover(List.of(folder)).create(ExtensionPoint.INTERPOLANT, "cosine", new NoOptions());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return loaded;
    }
}
