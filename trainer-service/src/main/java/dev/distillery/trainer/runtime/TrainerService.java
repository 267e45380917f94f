package dev.distillery.trainer.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.distillery.trainer.config.DistilleryConfig;
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

    public TrainerService(DistilleryConfig config, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.loop = new TrainingLoop(config, new KafkaClients(bootstrapServers, registry), registry);
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
