package dev.distillery.student.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.distillery.student.checkpoint.CheckpointFollower;
import dev.distillery.student.serving.MicroBatcher;

/** Live while the batcher and the checkpoint follower threads run: without them the service can never recover. */
@Liveness
@ApplicationScoped
public class ServingLiveness implements HealthCheck {

    private final MicroBatcher batcher;
    private final CheckpointFollower follower;

    public ServingLiveness(MicroBatcher batcher, CheckpointFollower follower) {
        this.batcher = batcher;
        this.follower = follower;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("student-threads")
                .status(batcher.isRunning() && follower.isRunning())
                .withData("batcher", batcher.isRunning())
                .withData("checkpointFollower", follower.isRunning())
                .build();
    }
}
