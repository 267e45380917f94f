package dev.distillery.trainer.runtime;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.distillery.kafka.KafkaClients;
import dev.distillery.trainer.config.DistilleryConfig;
import io.smallrye.common.annotation.Identifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The application's one {@link TrainingLoop}, started with Quarkus and stopped with it; the resource and the health
 * checks inject the loop itself.
 */
@ApplicationScoped
public class TrainerService {

    private final TrainingLoop loop;

    /** @param kafka the service's whole Kafka configuration (every {@code kafka.*} setting), as SmallRye gets it */
    public TrainerService(DistilleryConfig config, MeterRegistry registry,
            @Identifier(KafkaClients.DEFAULT_BROKER) Map<String, Object> kafka) {
        this.loop = new TrainingLoop(config, new KafkaClients(kafka, registry), registry);
    }

    @Produces
    @Singleton
    TrainingLoop loop() {
        return loop;
    }

    void onStart(@Observes StartupEvent event) {
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.stop();
    }
}
