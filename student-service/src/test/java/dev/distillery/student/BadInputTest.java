package dev.distillery.student;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Every kind of bad input gets a 4xx with the ApiError shape and a stable code, never a 500; good input works. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
@Order(4)
class BadInputTest {

    private static final String LONG = "a".repeat(4001);
    private static final String AT_LIMIT = "ab ".repeat(1333) + "a";

    @BeforeEach
    void serving() {
        ServiceProbe.ensureServing();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // /v1/classify
                bad("/v1/classify", "{\"text\":", 400, "malformed-json"),
                bad("/v1/classify", "{\"text\":\"a\",\"text\":\"b\"}", 400, "malformed-json"),
                bad("/v1/classify", "", 400, "empty-body"),
                bad("/v1/classify", "[\"hello\"]", 400, "invalid-body"),
                bad("/v1/classify", "\"hello\"", 400, "invalid-body"),
                bad("/v1/classify", "{}", 400, "missing-text"),
                bad("/v1/classify", "{\"text\":null}", 400, "missing-text"),
                bad("/v1/classify", "{\"txt\":\"hello\"}", 400, "missing-text"),
                bad("/v1/classify", "{\"text\":\"\"}", 400, "empty-text"),
                bad("/v1/classify", "{\"text\":\" \\n\\t \"}", 400, "empty-text"),
                bad("/v1/classify", "{\"text\":42}", 400, "invalid-field-type"),
                bad("/v1/classify", "{\"text\":true}", 400, "invalid-field-type"),
                bad("/v1/classify", "{\"text\":[\"hello\"]}", 400, "invalid-field-type"),
                bad("/v1/classify", "{\"text\":{\"value\":\"hello\"}}", 400, "invalid-field-type"),
                bad("/v1/classify", "{\"text\":\"" + LONG + "\"}", 413, "text-too-long"),
                bad("/v1/classify", "{\"text\":\"bad \\ud800 surrogate\"}", 400, "invalid-unicode"),
                // The same text rule as the teacher's Kafka edge (common TextRule).
                bad("/v1/classify", "{\"text\":\"nul \\u0000 inside\"}", 400, "forbidden-character"),
                bad("/v1/classify", "{\"text\":\"\\ufeffbom first\"}", 400, "forbidden-character"),
                bad("/v1/classify", "{\"text\":\"a\",\"text\":\"b\"}", 400, "malformed-json"),
                Arguments.of("/v1/classify", invalidUtf8("{\"text\":\"caf\u00e9 "), 400, "invalid-utf8"),
                // /v1/classify/batch
                bad("/v1/classify/batch", "{\"texts\":[", 400, "malformed-json"),
                bad("/v1/classify/batch", "{}", 400, "missing-texts"),
                bad("/v1/classify/batch", "{\"text\":\"hello\"}", 400, "missing-texts"),
                bad("/v1/classify/batch", "{\"texts\":\"hello\"}", 400, "invalid-field-type"),
                bad("/v1/classify/batch", "{\"texts\":[]}", 400, "empty-batch"),
                bad("/v1/classify/batch", "{\"texts\":[\"ok\",5]}", 400, "invalid-field-type"),
                bad("/v1/classify/batch", "{\"texts\":[\"ok\",null]}", 400, "missing-text"),
                bad("/v1/classify/batch", "{\"texts\":[\"ok\",\"\"]}", 400, "empty-text"),
                bad("/v1/classify/batch", "{\"texts\":[\"ok\",\"" + LONG + "\"]}", 413, "text-too-long"),
                bad("/v1/classify/batch", "{\"texts\":[" + IntStream.range(0, 33).mapToObj(i -> "\"t" + i + "\"")
                        .collect(Collectors.joining(",")) + "]}", 413, "batch-too-large"),
                Arguments.of("/v1/classify/batch", invalidUtf8("{\"texts\":[\"ok\",\""), 400, "invalid-utf8"),
                // /v1/chat/completions
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\"", 400, "malformed-json"),
                bad("/v1/chat/completions", "{}", 400, "missing-messages"),
                bad("/v1/chat/completions", "{\"messages\":\"hello\"}", 400, "invalid-field-type"),
                bad("/v1/chat/completions", "{\"messages\":[]}", 400, "empty-messages"),
                bad("/v1/chat/completions", "{\"messages\":[\"hello\"]}", 400, "invalid-message"),
                bad("/v1/chat/completions", "{\"messages\":[{\"content\":\"hello\"}]}", 400, "missing-role"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hello\"}]}", 400,
                        "invalid-role"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":7,\"content\":\"hello\"}]}", 400, "invalid-role"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"system\",\"content\":\"Classify...\"}]}", 400,
                        "no-user-message"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"assistant\",\"content\":\"Final Answer: en\"}]}",
                        400, "no-user-message"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\"}]}", 400, "missing-content"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":42}]}", 400,
                        "invalid-field-type"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}", 400, "empty-text"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"http://x/y.png\"}}]}]}", 400, "unsupported-content"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + LONG + "\"}]}", 413,
                        "text-too-long"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\\udc00\"}]}", 400,
                        "invalid-unicode"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}",
                        400, "invalid-field-type"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":0}", 400,
                        "invalid-value"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":14}", 400,
                        "invalid-value"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":1.5}", 400,
                        "invalid-field-type"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_logprobs\":3}",
                        400, "invalid-value"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logprobs\":true,"
                        + "\"top_logprobs\":21}", 400, "invalid-value"),
                bad("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"stream_options\":{\"include_usage\":true}}", 400, "invalid-value"),
                Arguments.of("/v1/models/gpt-4o-mini", null, 404, "model-not-found"),
                bad("/v1/chat/completions", "{\"model\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400,
                        "invalid-field-type"),
                Arguments.of("/v1/chat/completions",
                        invalidUtf8("{\"messages\":[{\"role\":\"user\",\"content\":\""), 400, "invalid-utf8"));
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("badRequests")
    void badInputIsA4xxWithTheErrorShape(String path, byte[] body, int status, String error) {
        if (path.startsWith("/v1/chat/completions") || path.startsWith("/v1/models")) {
            // OpenAI's shape on the OpenAI routes, with the same codes as the native routes.
            (body == null ? given().get(path) : given().contentType(ContentType.JSON).body(body).post(path)).then()
                    .statusCode(status)
                    .contentType(ContentType.JSON)
                    .body("error.code", equalTo(error))
                    .body("error.type", equalTo(status == 404 ? "not_found_error" : "invalid_request_error"))
                    .body("error.message", notNullValue())
                    .body("status", org.hamcrest.Matchers.nullValue());
            return;
        }
        given().contentType(ContentType.JSON).body(body).post(path).then()
                .statusCode(status)
                .contentType(ContentType.JSON)
                .body("status", equalTo(status))
                .body("error", equalTo(error))
                .body("message", notNullValue());
    }

    @Test
    void aBodyOverTheHttpLimitIsRefused() {
        byte[] huge = ("{\"text\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        given().contentType(ContentType.JSON).body(huge).post("/v1/classify").then()
                .statusCode(413).body("status", equalTo(413)).body("error", equalTo("body-too-large"));
    }

    @Test
    void theApiIsDescribedAndHealthAndMetricsAnswer() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/v1/classify/batch"))
                .body(org.hamcrest.Matchers.containsString("/v1/chat/completions"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void protocolErrorsUseTheErrorShapeToo() {
        given().contentType(ContentType.TEXT).body("hello").post("/v1/classify").then()
                .statusCode(415).body("error", equalTo("unsupported-media-type"));
        given().get("/v1/classify").then().statusCode(405).body("error", equalTo("method-not-allowed"));
        given().get("/v1/nothing-here").then().statusCode(404).body("error", equalTo("not-found"));
    }

    @Test
    void classifyAnswersWithTopKScoresAndTheCheckpoint() {
        long version = ServiceProbe.servedVersion();
        JsonPath body = given().contentType(ContentType.JSON).body("{\"text\":\"Bonjour, comment allez-vous ?\"}")
                .post("/v1/classify").then().statusCode(200)
                .body("label", in(TrainedCheckpoints.TASK.labels()))
                .body("checkpoint", equalTo((int) version))
                .body("scores", hasSize(3))
                .body("latencyMs", notNullValue())
                .extract().jsonPath();
        List<Float> scores = body.getList("scores.score", Float.class);
        assertTrue(scores.get(0) >= scores.get(1) && scores.get(1) >= scores.get(2), "scores sorted: " + scores);
        assertEquals(body.getString("label"), body.getString("scores[0].label"));
        assertEquals(body.getFloat("confidence"), scores.get(0), 1e-6);

        // A text exactly at the character limit is accepted (and truncated to the model's length by the model).
        given().contentType(ContentType.JSON).body("{\"text\":\"" + AT_LIMIT + "\"}").post("/v1/classify")
                .then().statusCode(200).body("tokens", greaterThan(0));
    }

    @Test
    void batchAnswersEveryTextInOrderFromOneCheckpoint() {
        long version = ServiceProbe.servedVersion();
        String texts = IntStream.range(0, 32).mapToObj(i -> "\"sentence number " + i + "\"")
                .collect(Collectors.joining(","));
        given().contentType(ContentType.JSON).body("{\"texts\":[" + texts + "]}").post("/v1/classify/batch")
                .then().statusCode(200)
                .body("results", hasSize(32))
                .body("checkpoint", equalTo((int) version))
                .body("results.checkpoint", everyItem(equalTo((int) version)))
                .body("results.label", everyItem(in(TrainedCheckpoints.TASK.labels())));
    }

    @Test
    void chatCompletionsAnswersWithTheTemplateAndIgnoresThePrompt() {
        String query = "Ich möchte einen Tisch für zwei Personen reservieren.";
        JsonPath plain = chat("{\"model\":\"teacher\",\"messages\":[{\"role\":\"user\",\"content\":\"" + query + "\"}]}");
        String prompt = TrainedCheckpoints.TASK.prompt().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        JsonPath prompted = chat("{\"messages\":[{\"role\":\"system\",\"content\":\"" + prompt + "\"},"
                + "{\"role\":\"user\",\"content\":\"earlier turn\"},{\"role\":\"assistant\",\"content\":\"Final Answer: en\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + query + "\"}]}],\"temperature\":0}");

        String label = plain.getString("choices[0].message.content").substring("Final Answer: ".length());
        assertTrue(TrainedCheckpoints.TASK.labels().contains(label), label);
        assertEquals(plain.getString("choices[0].message.content"), prompted.getString("choices[0].message.content"));
        // The prompt is not processed: usage counts the query only, with or without a system prompt.
        assertEquals(plain.getInt("usage.prompt_tokens"), prompted.getInt("usage.prompt_tokens"));
        int promptTokens = ServiceProbe.model().getInt("promptTokens");
        assertTrue(plain.getInt("usage.prompt_tokens") < promptTokens,
                "query tokens " + plain.getInt("usage.prompt_tokens") + " vs prompt P " + promptTokens);
        assertEquals(plain.getInt("usage.prompt_tokens") + plain.getInt("usage.completion_tokens"),
                plain.getInt("usage.total_tokens"));
        assertTrue(plain.getInt("usage.completion_tokens") > 0);
    }

    private static JsonPath chat(String body) {
        return given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/chat/completions").then().statusCode(200)
                .body("object", equalTo("chat.completion"))
                .body("id", startsWith("chatcmpl-"))
                .body("model", startsWith("language-id-student-v"))
                .body("choices", hasSize(1))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("choices[0].message.content", startsWith("Final Answer: "))
                .body("usage.prompt_tokens", lessThanOrEqualTo(512))
                .extract().jsonPath();
    }

    private static Arguments bad(String path, String body, int status, String error) {
        return Arguments.of(path, body.getBytes(StandardCharsets.UTF_8), status, error);
    }

    /** A JSON prefix, then bytes that are not UTF-8, then a valid ending. */
    private static byte[] invalidUtf8(String prefix) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        String close = prefix.contains("messages") ? "\"}]}" : prefix.contains("texts") ? "\"]}" : "\"}";
        byte[] tail = close.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + 3 + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = (byte) 0xC3;
        out[head.length + 1] = (byte) 0x28;
        out[head.length + 2] = (byte) 0xFF;
        System.arraycopy(tail, 0, out, head.length + 3, tail.length);
        return out;
    }
}
