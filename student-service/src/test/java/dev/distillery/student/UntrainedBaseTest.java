package dev.distillery.student;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With serve-untrained-base, the student answers (with the untrained base) before any checkpoint exists. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
@TestProfile(UntrainedBaseTest.ServeBase.class)
class UntrainedBaseTest {

    public static class ServeBase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("distillery.student.serve-untrained-base", "true", "distillery.student.top-k", "0");
        }
    }

    @Test
    void theUntrainedBaseIsServedUntilTheFirstCheckpoint() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/v1/model").then().statusCode(200)
                .body("ready", equalTo(true)).body("untrainedBase", equalTo(true)).body("checkpoint", nullValue());
        given().contentType(ContentType.JSON).body("{\"text\":\"Good morning\"}").post("/v1/classify")
                .then().statusCode(200).body("checkpoint", nullValue()).body("scores", nullValue());
        given().contentType(ContentType.JSON).body("{\"messages\":[{\"role\":\"user\",\"content\":\"Good morning\"}]}")
                .post("/v1/chat/completions").then().statusCode(200)
                .body("model", equalTo("language-id-student-untrained"))
                .body("system_fingerprint", equalTo("untrained-base"));

        long version = TrainedCheckpoints.writeAndAnnounceNext().version();
        ServiceProbe.awaitServed(version);
        given().contentType(ContentType.JSON).body("{\"text\":\"Good morning\"}").post("/v1/classify")
                .then().statusCode(200).body("checkpoint", equalTo((int) version));
        // The untrained base is not a rollback target.
        given().post("/v1/model/rollback").then().statusCode(409);
    }
}
