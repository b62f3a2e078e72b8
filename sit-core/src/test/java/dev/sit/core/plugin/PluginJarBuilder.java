package dev.sit.core.plugin;

import dev.sit.api.SitPlugin;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real plugin jar in a test: compiles Java sources against sit-api with the JDK's
 * compiler and packs them with a service file, as a third party's build would.
 */
public final class PluginJarBuilder {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();

    /** Adds a source file, e.g. {@code ("acme/Path.java", "package acme; ...")}. */
    public PluginJarBuilder source(String relativePath, String code) {
        sources.put(relativePath, code);
        return this;
    }

    /** Adds every {@code .java} file under a source folder (for example an example project's src/main/java). */
    public PluginJarBuilder sourceTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                source(root.relativize(f).toString(), Files.readString(f));
            }
        }
        return this;
    }

    /** Adds a resource, e.g. a {@code META-INF/services} file. */
    public PluginJarBuilder resource(String path, String content) {
        resources.put(path, content);
        return this;
    }

    /** Adds every file under a resource folder. */
    public PluginJarBuilder resourceTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                resource(root.relativize(f).toString().replace('\\', '/'), Files.readString(f));
            }
        }
        return this;
    }

    /** Registers {@code pluginClass} as a {@link SitPlugin} provider. */
    public PluginJarBuilder service(String pluginClass) {
        return resource("META-INF/services/" + SitPlugin.class.getName(), pluginClass + "\n");
    }

    /** Compiles and writes the jar; fails the test with the compiler's messages on errors. */
    public Path build(Path jar) throws IOException {
        Path work = Files.createTempDirectory("plugin-build");
        Path src = work.resolve("src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp", apiClassPath()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        java.io.PrintWriter out = new java.io.PrintWriter(errors);
        int rc = compiler.run(null, OutputStream.nullOutputStream(), System.err, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("plugin sources did not compile (see stderr): " + errors);
        }
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out2 = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out2.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out2.write(Files.readAllBytes(f));
                out2.closeEntry();
            }
            for (Map.Entry<String, String> e : resources.entrySet()) {
                out2.putNextEntry(new JarEntry(e.getKey()));
                out2.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out2.closeEntry();
            }
        }
        out.close();
        return jar;
    }

    private static String apiClassPath() {
        try {
            return Path.of(SitPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
