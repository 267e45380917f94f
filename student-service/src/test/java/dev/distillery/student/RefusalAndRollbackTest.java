package dev.distillery.student;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.messages.CheckpointAnnouncement;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Broken or foreign checkpoints are refused while the current one keeps serving; rollback returns to the previous. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
@Order(3)
class RefusalAndRollbackTest {

    @Test
    void corruptedAndForeignBaseCheckpointsAreRefusedWhileServingContinues() {
        long serving = ServiceProbe.ensureServing();
        double refusedBefore = refused("verification-failed") + refused("base-mismatch");

        StoredCheckpoint corrupted = TrainedCheckpoints.writeNext();
        TrainedCheckpoints.corrupt(corrupted);
        TrainedCheckpoints.announce(TrainedCheckpoints.announcementOf(corrupted));
        awaitRefused(corrupted.version());
        given().get("/v1/model").then().body("lastRefusal.reason", equalTo("verification-failed"));
        assertServing(serving);

        StoredCheckpoint foreign = TrainedCheckpoints.writeForOtherBase();
        TrainedCheckpoints.announce(TrainedCheckpoints.announcementOf(foreign));
        awaitRefused(foreign.version());
        given().get("/v1/model").then().body("lastRefusal.reason", equalTo("base-mismatch"));
        assertServing(serving);

        // Same adapter, honest manifest, but the announcement lies about the base: refused too.
        StoredCheckpoint good = TrainedCheckpoints.writeNext();
        CheckpointAnnouncement a = TrainedCheckpoints.announcementOf(good);
        TrainedCheckpoints.announce(new CheckpointAnnouncement(a.schema(), a.version(), a.uri(), a.sha256(),
                a.sizeBytes(), new CheckpointAnnouncement.BaseModel("bert-base", "f".repeat(64)), a.task(),
                a.promptSha256(), a.labels(), a.metrics(), a.createdAt()));
        awaitRefused(good.version());
        assertServing(serving);

        // Another task's announcement is none of this student's business: neither served nor refused.
        TrainedCheckpoints.announce(new CheckpointAnnouncement(a.schema(), a.version() + 100, a.uri(), a.sha256(),
                a.sizeBytes(), a.baseModel(), "sentiment", a.promptSha256(), List.of("pos", "neg"), a.metrics(),
                a.createdAt()));
        // And garbage on the topic is counted, not fatal.
        KafkaBrokerResource.kafka().send(dev.distillery.kafka.Topics.CHECKPOINTS, "language-id", "{not json".getBytes());
        // So are a poison record of random bytes over the size limit and JSON that is no announcement: each is
        // refused once and skipped, and the next good announcement is served.
        byte[] noise = new byte[200 * 1024];
        new java.util.Random(7).nextBytes(noise);
        KafkaBrokerResource.kafka().send(dev.distillery.kafka.Topics.CHECKPOINTS, "language-id", noise);
        KafkaBrokerResource.kafka().send(dev.distillery.kafka.Topics.CHECKPOINTS, "language-id", "null".getBytes());
        long next = TrainedCheckpoints.writeAndAnnounceNext().version();
        ServiceProbe.awaitServed(next);
        given().get("/v1/model").then().body("lastRefusal.reason", equalTo("malformed"));
        assertTrue(refused("verification-failed") + refused("base-mismatch") >= refusedBefore + 3,
                "refusals are counted");
        assertTrue(refused("malformed") >= 3, "malformed and oversized announcements are counted");
    }

    @Test
    void rollbackReturnsToThePreviousVersionUntilTheNextCheckpoint() {
        ServiceProbe.ensureServing();
        long older = TrainedCheckpoints.writeAndAnnounceNext().version();
        ServiceProbe.awaitServed(older);
        long newer = TrainedCheckpoints.writeAndAnnounceNext().version();
        ServiceProbe.awaitServed(newer);
        given().get("/v1/model").then().body("previous", equalTo((int) older));

        given().post("/v1/model/rollback").then().statusCode(200)
                .body("checkpoint.version", equalTo((int) older))
                .body("previous", nullValue())
                .body("ready", equalTo(true));
        assertServing(older);
        given().post("/v1/model/rollback").then().statusCode(409)
                .body("status", equalTo(409)).body("error", equalTo("no-previous-checkpoint"));

        long next = TrainedCheckpoints.writeAndAnnounceNext().version();
        ServiceProbe.awaitServed(next);
        assertServing(next);
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("distillery_student_rollbacks_total"))
                // the checkpoint follower's consumer metrics, and latency as a histogram (aggregatable)
                .body(org.hamcrest.Matchers.containsString("kafka_consumer_fetch_manager_records_lag_max"))
                .body(org.hamcrest.Matchers.containsString("http_server_requests_seconds_bucket"));
    }

    private static void assertServing(long version) {
        given().contentType(ContentType.JSON).body("{\"text\":\"Wie spät ist es?\"}").post("/v1/classify")
                .then().statusCode(200).body("checkpoint", equalTo((int) version));
        assertEquals(version, ServiceProbe.servedVersion());
    }

    private static void awaitRefused(long version) {
        ServiceProbe.await("v" + version + " to be refused", Duration.ofSeconds(60),
                () -> Long.valueOf(version).equals(ServiceProbe.refusedVersion()));
    }

    private static double refused(String reason) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("distillery_student_checkpoints_refused_total\\{reason=\"" + Pattern.quote(reason)
                + "\"} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
