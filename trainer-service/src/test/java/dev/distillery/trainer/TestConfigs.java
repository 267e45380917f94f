package dev.distillery.trainer;

import java.time.Duration;
import java.util.Map;

import dev.distillery.trainer.config.DistilleryConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The trainer's configuration mapping built from plain key/values, for tests that run it without Quarkus. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static DistilleryConfig distillery(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(DistilleryConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
        return config.getConfigMapping(DistilleryConfig.class);
    }
}
