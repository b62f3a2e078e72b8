package dev.sit.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.Doc;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import dev.sit.api.data.DatasetSource;
import dev.sit.core.config.Problems;
import dev.sit.core.config.RecordBinder;
import dev.sit.core.config.YamlDocument;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DatasetsPluginTest {

    @Test
    void isRegisteredAsAServiceWithTheFourSources() {
        List<PluginFactory<?, ?>> factories = ServiceLoader.load(SitPlugin.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p instanceof DatasetsPlugin)
                .findFirst().orElseThrow().factories();
        assertThat(factories).extracting(PluginFactory::name)
                .containsExactly("shapes", "fashion-mnist", "image-folder", "latents");
        assertThat(factories).allMatch(f -> f.extensionPoint() == ExtensionPoint.DATASET_SOURCE);
        for (PluginFactory<?, ?> f : factories) {
            for (RecordComponent c : f.optionsType().getRecordComponents()) {
                assertThat(c.getAnnotation(Doc.class)).as("%s.%s has @Doc", f.name(), c.getName()).isNotNull();
                assertThat(c.getType().isPrimitive()).as("%s.%s is boxed (null = default)", f.name(), c.getName()).isFalse();
            }
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyOptionsRecordBuildsWithAllDefaults() throws Exception {
        for (PluginFactory f : new DatasetsPlugin().factories()) {
            RecordComponent[] comps = f.optionsType().getRecordComponents();
            Class<?>[] types = java.util.Arrays.stream(comps).map(RecordComponent::getType).toArray(Class[]::new);
            Record defaults = (Record) f.optionsType().getDeclaredConstructor(types).newInstance(new Object[comps.length]);
            assertThat(f.create(defaults)).isInstanceOf(DatasetSource.class);
        }
        ShapesOptions s = new ShapesOptions(null, null, null);
        assertThat(s.size()).isEqualTo(50_000L);
        assertThat(s.seed()).isZero();
        ImageFolderOptions i = new ImageFolderOptions("x", null, null, null, null, null);
        assertThat(i.randomFlip()).isTrue();
        assertThat(i.maxBadFraction()).isEqualTo(0.01);
        assertThat(new FashionMnistOptions(null, null, null).folder()).isEqualTo("/usr/share/datasets/fashion-mnist");
        assertThat(new LatentsOptions("x", null).verify()).isEqualTo("first_use");
    }

    static <R extends Record> R bind(String yaml, Class<R> type, Problems[] problems) {
        YamlDocument doc = YamlDocument.parse("data.yaml", yaml);
        problems[0] = new Problems(doc);
        return new RecordBinder(problems[0]).bind(doc.root(), type, "data.options");
    }

    @Test
    void optionsBindFromSnakeCaseYaml() {
        Problems[] p = new Problems[1];
        ShapesOptions shapes = bind("size: 100\nimage_size: 16\nseed: 3\n", ShapesOptions.class, p);
        assertThat(shapes).isEqualTo(new ShapesOptions(100L, 16, 3L));
        ImageFolderOptions folder = bind("root: imagenet/train\nrandom_flip: false\nworkers: 3\nprefetch_batches: 1\n"
                + "max_bad_fraction: 0.05\n", ImageFolderOptions.class, p);
        assertThat(folder).isEqualTo(new ImageFolderOptions("imagenet/train", null, false, 3, 1, 0.05));
        assertThat(p[0].isEmpty()).isTrue();

        assertThat(bind("max_bad_fraction: 2\n", ImageFolderOptions.class, p)).isNull();
        assertThat(p[0].list().toString()).contains("max_bad_fraction").contains("out of range");
        assertThat(bind("split: validation\n", FashionMnistOptions.class, p)).isNull();
        assertThat(p[0].list().toString()).contains("train or test");
        assertThat(bind("folder: x\nverfy: open\n", LatentsOptions.class, p)).isNull();
        assertThat(p[0].list().toString()).contains("unknown key 'verfy'");
    }
}
