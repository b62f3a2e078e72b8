package dev.sit.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.transport.Interpolant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    @TempDir
    Path dir;

    /** A plugin jar adding one interpolant called {@code name} (alpha = t^power). */
    static PluginJarBuilder polynomialPlugin(String pkg, String name) {
        return new PluginJarBuilder()
                .source(pkg + "/PolyPath.java", """
                        package %s;
                        public final class PolyPath implements dev.sit.api.transport.Interpolant {
                            public double alpha(double t) { return t * t; }
                            public double dAlpha(double t) { return 2 * t; }
                            public double sigma(double t) { return 1 - t * t; }
                            public double dSigma(double t) { return -2 * t; }
                        }
                        """.formatted(pkg))
                .source(pkg + "/PolyPlugin.java", """
                        package %s;
                        import dev.sit.api.*;
                        public final class PolyPlugin implements SitPlugin {
                            public java.util.List<PluginFactory<?, ?>> factories() {
                                return java.util.List.of(PluginFactory.of(ExtensionPoint.INTERPOLANT, "%s",
                                        "quadratic path", PolyPath::new));
                            }
                        }
                        """.formatted(pkg, name))
                .service(pkg + ".PolyPlugin");
    }

    @Test
    void findsAPluginInAFolderAndCreatesItsObjects() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        polynomialPlugin("acme", "Poly").build(folder.resolve("poly.jar"));

        PluginRegistry registry = PluginRegistry.discover(List.of(folder));

        RegisteredPlugin<Interpolant> found = registry.find(ExtensionPoint.INTERPOLANT, "poly");
        assertThat(found.name()).isEqualTo("Poly");
        assertThat(found.origin().toString()).endsWith("poly.jar");
        Interpolant path = registry.create(ExtensionPoint.INTERPOLANT, "POLY", new dev.sit.api.NoOptions());
        assertThat(path.alpha(0.5)).isEqualTo(0.25);
        // the plugin's class came from its own loader, which sees the host's sit-api
        assertThat(path.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
        assertThat(registry.names(ExtensionPoint.INTERPOLANT)).containsExactly("Poly");
    }

    @Test
    void aJarGivenDirectlyAndAnExplodedFolderBothWork() throws Exception {
        Path jar = polynomialPlugin("one", "First").build(dir.resolve("one.jar"));
        Path exploded = Files.createDirectories(dir.resolve("exploded"));
        Path second = polynomialPlugin("two", "Second").build(dir.resolve("two.jar"));
        try (var fs = java.nio.file.FileSystems.newFileSystem(second)) {
            for (Path root : fs.getRootDirectories()) {
                try (var files = Files.walk(root)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        Path target = exploded.resolve(root.relativize(f).toString());
                        Files.createDirectories(target.getParent());
                        Files.copy(f, target);
                    }
                }
            }
        }
        PluginRegistry registry = PluginRegistry.discover(List.of(jar, exploded));
        assertThat(registry.names(ExtensionPoint.INTERPOLANT)).containsExactly("First", "Second");
    }

    @Test
    void anUnknownNameListsTheAvailableNamesAndTheClosestMatch() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        polynomialPlugin("acme", "GVP").build(folder.resolve("gvp.jar"));
        PluginRegistry registry = PluginRegistry.discover(List.of(folder));

        assertThatThrownBy(() -> registry.find(ExtensionPoint.INTERPOLANT, "GPV"))
                .isInstanceOf(UnknownPluginException.class)
                .hasMessageContaining("unknown interpolant 'GPV'")
                .hasMessageContaining("did you mean GVP?")
                .hasMessageContaining("available: GVP");
        assertThatThrownBy(() -> registry.find(ExtensionPoint.ODE_SOLVER, "dopri5"))
                .hasMessageContaining("available: none installed");
    }

    @Test
    void twoPluginsWithOneNameNameBothJars() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        polynomialPlugin("first", "Poly").build(folder.resolve("first.jar"));
        polynomialPlugin("second", "poly").build(folder.resolve("second.jar"));

        assertThatThrownBy(() -> PluginRegistry.discover(List.of(folder)))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("two plugins define the interpolant")
                .hasMessageContaining("first.jar")
                .hasMessageContaining("second.jar");
    }

    @Test
    void aJarThatFailsToLoadIsNamedWithTheCause() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        new PluginJarBuilder()
                .source("broken/Nothing.java", "package broken; public final class Nothing {}")
                .service("broken.MissingPlugin")
                .build(folder.resolve("broken.jar"));

        assertThatThrownBy(() -> PluginRegistry.discover(List.of(folder)))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("broken.jar")
                .hasMessageContaining("failed to load")
                .hasMessageContaining("broken.MissingPlugin");
    }

    @Test
    void aMissingPluginFolderIsAClearError() {
        assertThatThrownBy(() -> PluginRegistry.discover(List.of(dir.resolve("nope"))))
                .hasMessageContaining("does not exist");
    }

    @Test
    void closestNameToleratesSmallTyposOnly() {
        assertThat(ClosestName.of("linaer", List.of("Linear", "GVP", "VP"))).contains("Linear");
        assertThat(ClosestName.of("dopri", List.of("dopri5", "dopri8", "euler"))).isPresent();
        assertThat(ClosestName.of("completely-different", List.of("Linear", "GVP"))).isEmpty();
    }
}
