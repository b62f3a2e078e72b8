package dev.sit.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.Doc;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import dev.sit.api.data.DatasetSource;
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
}
