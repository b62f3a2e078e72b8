package dev.sit.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.core.plugin.PluginException;
import dev.sit.core.plugin.PluginPath;
import dev.sit.core.plugin.PluginRegistry;
import dev.sit.core.plugin.RegisteredPlugin;
import dev.sit.core.plugin.UnknownPluginException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads, overrides and validates an experiment before any heavy work: YAML syntax, unknown keys,
 * types, ranges, plugin names (with the valid choices), plugin options and cross-field rules,
 * all reported at once with file, line and column ({@link ConfigException}).
 */
public final class ExperimentLoader {

    private final List<Path> commandLinePlugins;
    private final String pluginPathVariable;
    private final Function<List<Path>, PluginRegistry> discovery;
    private final Map<String, String> environment;

    /**
     * @param commandLinePlugins {@code --plugins} entries
     * @param pluginPathVariable the value of {@code SIT_PLUGIN_PATH} (may be null)
     */
    public ExperimentLoader(List<Path> commandLinePlugins, String pluginPathVariable) {
        this(commandLinePlugins, pluginPathVariable, PluginRegistry::discover);
    }

    /** With another plugin discovery (for embedding and tests): plugin path in, registry out. */
    public ExperimentLoader(List<Path> commandLinePlugins, String pluginPathVariable,
                            Function<List<Path>, PluginRegistry> discovery) {
        this(commandLinePlugins, pluginPathVariable, discovery, System.getenv());
    }

    /**
     * With another plugin discovery and environment (for embedding and tests): plugins are checked
     * and made with this environment ({@link dev.sit.api.PluginContext#environment()}).
     */
    public ExperimentLoader(List<Path> commandLinePlugins, String pluginPathVariable,
                            Function<List<Path>, PluginRegistry> discovery, Map<String, String> environment) {
        this.commandLinePlugins = List.copyOf(commandLinePlugins);
        this.pluginPathVariable = pluginPathVariable;
        this.discovery = discovery;
        this.environment = Map.copyOf(environment);
    }

    public ResolvedExperiment load(Path file, List<String> overrides) throws IOException {
        return load(file, YamlDocument.read(file), overrides);
    }

    public ResolvedExperiment load(Path file, YamlDocument document, List<String> overrides) {
        return load(file, document, Overrides.parse(overrides));
    }

    /** Applies the overrides to the document, then validates and resolves it (problems cite their sources). */
    public ResolvedExperiment load(Path file, YamlDocument document, Overrides overrides) {
        overrides.applyTo(document);
        Problems problems = new Problems(document);
        RecordBinder binder = new RecordBinder(problems);

        // bind each section on its own so that a problem in one does not hide those of another
        JsonNode root = document.root();
        RecordComponent[] components = Experiment.class.getRecordComponents();
        Map<String, RecordComponent> known = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            known.put(Names.snake(c.getName()), c);
        }
        root.fieldNames().forEachRemaining(key -> {
            if (!known.containsKey(key)) {
                String hint = dev.sit.core.plugin.ClosestName.of(key, known.keySet()).map(s -> " (did you mean " + s + "?)").orElse("");
                problems.atKey(key, "unknown key '" + key + "'" + hint + "; valid keys: " + String.join(", ", known.keySet()));
            }
        });
        Map<String, Object> sections = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            String key = Names.snake(c.getName());
            JsonNode value = root.get(key);
            sections.put(key, value == null || value.isNull() ? null : bindSection(binder, problems, value, c, key));
        }

        Experiment draft = null;
        if (problems.isEmpty()) {
            try {
                draft = construct(sections);
            } catch (IllegalArgumentException e) {
                problems.at("", e.getMessage());
            }
        }

        // plugins: from the command line, the environment and the experiment itself
        List<Path> experimentPlugins = new ArrayList<>();
        Object pluginList = sections.get("plugins");
        Path base = file.toAbsolutePath().getParent();
        if (pluginList instanceof List<?> list) {
            list.forEach(p -> experimentPlugins.add(base.resolve(String.valueOf(p))));
        }
        PluginRegistry registry;
        try {
            registry = discovery.apply(PluginPath.combine(commandLinePlugins, pluginPathVariable, experimentPlugins));
        } catch (PluginException e) {
            problems.at(pluginList == null ? "" : "plugins", e.getMessage());
            problems.throwIfAny();
            throw e;
        }

        Map<String, BoundPlugin<?>> bound = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        PluginResolver resolver = new PluginResolver(registry, problems, binder, bound,
                dev.sit.api.PluginContext.of(environment));
        if (sections.get("transport") instanceof TransportSection t) {
            resolver.resolve("transport.path", t.path(), ExtensionPoint.INTERPOLANT);
            resolver.resolve("transport.prediction", t.prediction(), ExtensionPoint.PREDICTION_TARGET);
            resolver.resolve("transport.loss_weight", t.lossWeight(), ExtensionPoint.LOSS_WEIGHT);
            resolver.resolve("transport.time_sampler", t.timeSampler(), ExtensionPoint.TIME_SAMPLER);
        } else if (sections.get("transport") == null) {
            TransportSection t = new TransportSection(null, null, null, null, null, null, null);
            resolver.resolve("transport.path", t.path(), ExtensionPoint.INTERPOLANT);
            resolver.resolve("transport.prediction", t.prediction(), ExtensionPoint.PREDICTION_TARGET);
            resolver.resolve("transport.loss_weight", t.lossWeight(), ExtensionPoint.LOSS_WEIGHT);
            resolver.resolve("transport.time_sampler", t.timeSampler(), ExtensionPoint.TIME_SAMPLER);
        }
        if (sections.get("train") instanceof TrainSection tr) {
            resolver.resolve("train.communicator", tr.communicator(), ExtensionPoint.COMMUNICATOR);
        }
        if (sections.get("data") instanceof DataSection d && d.source() != null) {
            resolver.resolve("data.source", d.source(), ExtensionPoint.DATASET_SOURCE);
        }
        if (sections.get("sample") instanceof List<?> samplers) {
            for (int i = 0; i < samplers.size(); i++) {
                if (samplers.get(i) instanceof SampleSection s) {
                    String key = "sample." + i;
                    if (s.mode() == SamplerMode.ODE) {
                        resolver.resolve(key + ".method", s.method(), ExtensionPoint.ODE_SOLVER);
                    } else {
                        resolver.resolve(key + ".method", s.method(), ExtensionPoint.SDE_SOLVER);
                        resolver.resolve(key + ".diffusion_form", s.diffusionForm(), ExtensionPoint.DIFFUSION_FORM);
                        resolver.resolve(key + ".last_step", s.lastStep(), ExtensionPoint.LAST_STEP);
                    }
                }
            }
        }
        if (sections.get("eval") instanceof EvalSection ev) {
            resolver.resolve("eval.feature_extractor", ev.featureExtractor(), ExtensionPoint.FEATURE_EXTRACTOR);
            if (!ev.referencesData() && !java.nio.file.Files.exists(ev.referencePath(base))) {
                problems.at("eval/reference", "reference " + ev.referencePath(base) + " does not exist: give an ADM"
                        + " reference batch .npz, an image .npz/.npy/folder, a feature .npz, or 'data'");
            }
        }
        List<PluginChoice> loggers = draft != null ? draft.loggers()
                : sections.get("loggers") instanceof List<?> l ? castChoices(l) : List.of();
        for (int i = 0; i < loggers.size(); i++) {
            if (loggers.get(i) != null) {
                resolver.resolve("loggers." + i, loggers.get(i), ExtensionPoint.METRICS_LOGGER);
            }
        }

        if (draft != null) {
            crossChecks(draft, problems);
        }
        problems.throwIfAny();
        return new ResolvedExperiment(file, draft, registry, bound, warnings, environment);
    }

    private static Object bindSection(RecordBinder binder, Problems problems, JsonNode value, RecordComponent c, String key) {
        if (c.getType().isRecord()) {
            return binder.bind(value, c.getType().asSubclass(Record.class), key);
        }
        return binder.value(value, c.getGenericType(), key);
    }

    private static Experiment construct(Map<String, Object> sections) {
        return new Experiment(
                (String) sections.get("name"),
                (Long) sections.get("seed"),
                (ModelSection) sections.get("model"),
                (TransportSection) sections.get("transport"),
                (DataSection) sections.get("data"),
                (TrainSection) sections.get("train"),
                castSamplers((List<?>) sections.get("sample")),
                (EvalSection) sections.get("eval"),
                castChoices((List<?>) sections.get("loggers")),
                castStrings((List<?>) sections.get("plugins")),
                (String) sections.get("results_dir"));
    }

    private static void crossChecks(Experiment e, Problems problems) {
        if (e.train() != null && e.data().source() == null) {
            problems.at("train", "training needs data.source: (shapes, fashion-mnist, image-folder, latents or a plugin's)");
        }
        if (e.eval() != null && e.eval().sampler() >= e.sample().size()) {
            problems.at("eval", "eval draws its images with sample: entry " + e.eval().sampler() + " (eval.sampler), but"
                    + " the experiment has " + e.sample().size() + " sample: entries; add one (its mode, method, steps and"
                    + " guidance are used for the eval.num_samples images) or set eval.sampler");
        }
        if (e.eval() != null && e.eval().referencesData() && e.data().source() == null) {
            problems.at("eval/reference", "reference: data compares with real images of data.source, but the"
                    + " experiment has no data.source");
        }
        for (int k = 0; k < e.sample().size(); k++) {
            List<Integer> labels = e.sample().get(k).labels();
            String prefix = problems.document().root().path("sample").isArray() ? "sample/" + k : "sample";
            boolean defaults = problems.document().root().at("/" + prefix + "/labels").isMissingNode();
            List<Integer> outside = labels.stream().filter(l -> l < 0 || l >= e.model().numClasses()).toList();
            if (defaults && !outside.isEmpty()) {
                // one problem for the default labels, which the user never wrote
                problems.at(prefix, "label " + outside.get(0) + " is outside [0, " + (e.model().numClasses() - 1)
                        + "] (model.num_classes is " + e.model().numClasses() + ")" + (outside.size() > 1
                        ? ", and so are " + (outside.size() - 1) + " more of the default labels" : "")
                        + " (the reference's ImageNet classes " + labels.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")) + "): set sample.labels (sit sample: give --labels)");
                continue;
            }
            for (int i = 0; i < labels.size(); i++) {
                if (labels.get(i) < 0 || labels.get(i) >= e.model().numClasses()) {
                    problems.at(prefix + "/labels/" + i, "label " + labels.get(i) + " is outside [0, "
                            + (e.model().numClasses() - 1) + "] (model.num_classes is " + e.model().numClasses() + ")");
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<PluginChoice> castChoices(List<?> list) {
        return list == null ? null : (List<PluginChoice>) list;
    }

    @SuppressWarnings("unchecked")
    private static List<SampleSection> castSamplers(List<?> list) {
        return list == null ? null : (List<SampleSection>) list;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castStrings(List<?> list) {
        return list == null ? null : (List<String>) list;
    }

    /** Resolves plugin choices: known name (else the available ones), bound options, the plugin's own checks. */
    private record PluginResolver(PluginRegistry registry, Problems problems, RecordBinder binder,
                                  Map<String, BoundPlugin<?>> bound, dev.sit.api.PluginContext context) {

        <T> void resolve(String key, PluginChoice choice, ExtensionPoint<T> point) {
            if (choice == null) {
                return;
            }
            String path = choice.path().isEmpty() ? key.replace('.', '/') : choice.path();
            RegisteredPlugin<T> plugin;
            try {
                plugin = registry.find(point, choice.name());
            } catch (UnknownPluginException e) {
                String namePath = choice.options().isEmpty() && !problems.document().root().at("/" + path + "/name").isMissingNode()
                        ? path + "/name" : path;
                problems.at(namePath, e.getMessage());
                return;
            }
            Record options = binder.bind(choice.options(), plugin.factory().optionsType(), path + "/options");
            if (options == null) {
                return;
            }
            for (String message : check(plugin.factory(), options, context)) {
                problems.at(path, plugin.name() + ": " + message);
            }
            bound.put(key, new BoundPlugin<>(point, plugin, options));
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static List<String> check(PluginFactory factory, Record options, dev.sit.api.PluginContext context) {
            return factory.check(options, context);
        }
    }
}
