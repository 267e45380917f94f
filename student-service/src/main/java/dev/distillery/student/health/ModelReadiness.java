package dev.distillery.student.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.distillery.student.checkpoint.CheckpointFollower;
import dev.distillery.student.serving.ModelSlots;
import dev.distillery.student.serving.ServedModel;
import dev.distillery.student.serving.StudentSetup;

/** Ready once a model answers: a verified checkpoint, or the untrained base when that is configured. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final ModelSlots slots;
    private final CheckpointFollower follower;
    private final StudentSetup setup;

    public ModelReadiness(ModelSlots slots, CheckpointFollower follower, StudentSetup setup) {
        this.slots = slots;
        this.follower = follower;
        this.setup = setup;
    }

    @Override
    public HealthCheckResponse call() {
        ServedModel current = slots.current().orElse(null);
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("student-model")
                .status(current != null)
                .withData("task", setup.task().name())
                .withData("checkpointsCaughtUp", follower.caughtUp());
        if (current == null) {
            builder.withData("reason", "no checkpoint loaded yet");
        } else {
            builder.withData("serving", current.describe());
        }
        return builder.build();
    }
}
