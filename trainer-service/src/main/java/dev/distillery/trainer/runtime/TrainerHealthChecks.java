package dev.distillery.trainer.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the model is loaded and the consumer reads its partitions; live while the threads have not failed. */
@ApplicationScoped
public class TrainerHealthChecks {

    private final TrainingLoop trainer;

    public TrainerHealthChecks(TrainingLoop trainer) {
        this.trainer = trainer;
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> HealthCheckResponse.named("trainer")
                .status(trainer.ready())
                .withData("state", trainer.status().state())
                .withData("consumer", trainer.consumerState())
                .build();
    }

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> HealthCheckResponse.named("trainer-threads")
                .status(trainer.live())
                .withData("state", trainer.status().state())
                .build();
    }
}
