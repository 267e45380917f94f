package dev.distillery.student;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** on-teacher-failure=error with the teacher down: a 503 teacher-unavailable within the teacher timeout, never a 500. */
@QuarkusTest
@TestProfile(CascadeTeacherDownProfile.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
@Order(11)
class CascadeTeacherDownTest {

    @Test
    void aDownTeacherIsA503TeacherUnavailableWithinItsTimeBound() {
        // The application's first request pays its warm-up (class loading, JIT) on a loaded build machine: not timed.
        given().contentType(ContentType.JSON).body("{\"text\":\"Hallo\"}").post("/v1/classify")
                .then().statusCode(503).body("error", equalTo("teacher-unavailable"));
        for (String path : new String[] {"/v1/classify", "/v1/classify/batch"}) {
            String body = path.endsWith("batch") ? "{\"texts\":[\"Hola\",\"Hallo\"]}" : "{\"text\":\"Hola\"}";
            long start = System.nanoTime();
            given().contentType(ContentType.JSON).body(body).post(path)
                    .then().statusCode(503).header("Retry-After", "5")
                    .body("error", equalTo("teacher-unavailable"))
                    .body("message", containsString("unreachable"));
            // teacher-timeout is 1 s; connections are refused at once: generous slack for a loaded build machine
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(8).toNanos(), path);
        }
        given().get("/v1/model").then().statusCode(200).body("cascade.policy", equalTo("cascade"))
                .body("cascade.totals.teacherFailures", equalTo(4));
    }
}
