package dev.sit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sit.api.ExtensionPoint;
import dev.sit.core.config.OptionInfo;
import dev.sit.core.plugin.PluginRegistry;
import dev.sit.core.plugin.RegisteredPlugin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sit plugins}: every plugin of every kind, with its options and the jar it came from. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every plugin of every kind: name, description, options with defaults, and origin.")
public final class PluginsCommand implements Callable<Integer> {

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    @Override
    public Integer call() throws Exception {
        PluginRegistry registry = plugins.registry();
        if (json) {
            List<Map<String, Object>> all = new ArrayList<>();
            for (ExtensionPoint<?> point : ExtensionPoint.all()) {
                for (RegisteredPlugin<?> p : registry.plugins(point)) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("kind", point.id());
                    entry.put("name", p.name());
                    entry.put("aliases", p.factory().aliases());
                    entry.put("description", p.factory().description());
                    entry.put("origin", p.origin().toString());
                    entry.put("plugin_class", p.pluginClass());
                    entry.put("options", OptionInfo.of(p.factory().optionsType()));
                    all.add(entry);
                }
            }
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
            return 0;
        }
        for (ExtensionPoint<?> point : ExtensionPoint.all()) {
            List<? extends RegisteredPlugin<?>> list = registry.plugins(point);
            System.out.println(point.id() + " (" + point.description() + "):");
            if (list.isEmpty()) {
                System.out.println("  (none installed)");
            }
            for (RegisteredPlugin<?> p : list) {
                String aliases = p.factory().aliases().isEmpty() ? "" : " (also " + String.join(", ", p.factory().aliases()) + ")";
                System.out.printf("  %-22s %s%s  [%s]%n", p.name(), p.factory().description(), aliases, p.origin());
                for (OptionInfo o : OptionInfo.of(p.factory().optionsType())) {
                    System.out.printf("      %-20s %-8s default %-10s %s%s%n", o.key(), o.type(),
                            o.defaultValue() == null ? "-" : o.defaultValue(), o.doc(), o.range() == null ? "" : " " + o.range());
                }
            }
        }
        return 0;
    }
}
