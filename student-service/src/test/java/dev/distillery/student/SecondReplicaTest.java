package dev.distillery.student;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.kafka.KafkaClients;
import dev.distillery.student.checkpoint.CheckpointFollower;
import dev.distillery.student.checkpoint.CheckpointLoader;
import dev.distillery.student.config.StudentConfig;
import dev.distillery.student.serving.ModelSlots;
import dev.distillery.student.serving.StudentSetup;
import dev.distillery.testing.KafkaBrokerResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;

/**
 * A replica started after checkpoints were announced reads the whole topic (no consumer group: it does not share
 * offsets with the running service) and starts from the newest checkpoint it can verify.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
@Order(5)
class SecondReplicaTest {

    @Inject
    CheckpointLoader loader;

    @Inject
    StudentSetup setup;

    @Inject
    StudentConfig config;

    @Inject
    @Identifier(KafkaClients.DEFAULT_BROKER)
    Map<String, Object> kafka;

    @Test
    void aLateReplicaStartsFromTheNewestVerifiableCheckpoint() {
        ServiceProbe.ensureServing();
        long good = TrainedCheckpoints.writeAndAnnounceNext().version();
        ServiceProbe.awaitServed(good);
        StoredCheckpoint corrupted = TrainedCheckpoints.writeNext();
        TrainedCheckpoints.corrupt(corrupted);
        TrainedCheckpoints.announce(TrainedCheckpoints.announcementOf(corrupted));
        ServiceProbe.await("v" + corrupted.version() + " to be refused", Duration.ofSeconds(60),
                () -> Long.valueOf(corrupted.version()).equals(ServiceProbe.refusedVersion()));

        ModelSlots replicaSlots = new ModelSlots(new SimpleMeterRegistry());
        CheckpointFollower replica = new CheckpointFollower(loader, replicaSlots, setup, config, kafka,
                new SimpleMeterRegistry());
        replica.start();
        try {
            ServiceProbe.await("the replica to catch up", Duration.ofSeconds(60), replica::caughtUp);
            assertEquals(good, replicaSlots.current().orElseThrow().version());
            assertEquals(corrupted.version(), replica.lastRefusal().version());
            assertEquals("verification-failed", replica.lastRefusal().reason());

            // Both follow new announcements independently.
            long next = TrainedCheckpoints.writeAndAnnounceNext().version();
            ServiceProbe.awaitServed(next);
            ServiceProbe.await("the replica to serve v" + next, Duration.ofSeconds(60),
                    () -> replicaSlots.current().orElseThrow().version() == next);
        } finally {
            replica.stop();
            replicaSlots.close();
        }
    }
}
