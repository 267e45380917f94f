package dev.distillery.student;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Before the first checkpoint: not ready, and every classification endpoint says so with a clear 503. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
@Order(1)
class ColdStartTest {

    @Test
    void readinessIsDownAndClassifyAnswers503BeforeTheFirstCheckpoint() {
        given().get("/v1/model").then().statusCode(200)
                .body("ready", equalTo(false))
                .body("checkpoint", nullValue())
                .body("task", equalTo("language-id"))
                .body("base", equalTo("tiny"))
                .body("promptTokens", greaterThan(100));
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);

        given().contentType(ContentType.JSON).body("{\"text\":\"Bonjour tout le monde\"}").post("/v1/classify")
                .then().statusCode(503).header("Retry-After", "5")
                .body("status", equalTo(503)).body("error", equalTo("model-not-ready"))
                .body("message", containsString("serve-untrained-base"));
        given().contentType(ContentType.JSON).body("{\"texts\":[\"Hallo\",\"Hola\"]}").post("/v1/classify/batch")
                .then().statusCode(503).body("error", equalTo("model-not-ready"));
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hallo\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(503).header("Retry-After", "5")
                .body("error.code", equalTo("model-not-ready")).body("error.type", equalTo("server_error"));
        given().get("/v1/models").then().statusCode(200)
                .body("data[0].id", equalTo("language-id-student")).body("data[0].ready", equalTo(false));
        given().post("/v1/model/rollback").then().statusCode(409).body("error", equalTo("no-previous-checkpoint"));
    }

    @Test
    void badInputIsStillRefusedAsBadInputWhileNotReady() {
        given().contentType(ContentType.JSON).body("{\"text\":").post("/v1/classify")
                .then().statusCode(400).body("error", equalTo("malformed-json"));
    }
}
