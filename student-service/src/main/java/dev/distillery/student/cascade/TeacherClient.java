package dev.distillery.student.cascade;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.distillery.messages.MessageCodec;

/**
 * The student's client of teacher-service's {@code POST /v1/label}. A plain {@link HttpClient} rather than a Quarkus
 * REST client: the cascade needs exactly two guarantees, a hard deadline per call (connection included) and a bound
 * on calls in flight that fails at once instead of queueing, and both are a few lines here, where a REST client would
 * add the client and fault-tolerance extensions for the same effect. Non-blocking: callers get a future that always
 * completes within the timeout.
 */
public final class TeacherClient implements AutoCloseable {

    private final URI labelUri;
    private final Duration timeout;
    private final Semaphore permits;
    private final int maxConcurrency;
    private final HttpClient http;

    public TeacherClient(String baseUrl, Duration timeout, int maxConcurrency) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("distillery.student.cascade.max-concurrency must be >= 1");
        }
        this.labelUri = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/label");
        this.timeout = timeout;
        this.maxConcurrency = maxConcurrency;
        this.permits = new Semaphore(maxConcurrency);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * Asks the teacher for the label of one text; {@code publish} makes the teacher also publish it to
     * {@code distill.labeled} as a deferral. Completes exceptionally with {@link TeacherUnavailableException} when no
     * permit is free, on timeout, on a connection failure and on any non-200 answer.
     */
    public CompletableFuture<TeacherAnswer> label(String text, boolean publish) {
        if (!permits.tryAcquire()) {
            return CompletableFuture.failedFuture(new TeacherUnavailableException(TeacherUnavailableException.BUSY,
                    maxConcurrency + " teacher calls already in flight"));
        }
        ObjectNode body = MessageCodec.mapper().createObjectNode().put("text", text);
        if (publish) {
            body.put("publish", true);
        }
        HttpRequest request = HttpRequest.newBuilder(labelUri).timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MessageCodec.mapper().valueToTree(body).toString()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build();
        long started = System.nanoTime();
        CompletableFuture<TeacherAnswer> call;
        try {
            call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(response -> parse(response, started));
        } catch (RuntimeException e) {
            permits.release();
            return CompletableFuture.failedFuture(new TeacherUnavailableException(
                    TeacherUnavailableException.UNREACHABLE, e.toString()));
        }
        // The request timeout covers the response headers; orTimeout bounds the whole call whatever happens.
        return call.orTimeout(timeout.toMillis() + 250, TimeUnit.MILLISECONDS)
                .handle((answer, failure) -> {
                    permits.release();
                    if (failure == null) {
                        return answer;
                    }
                    throw new CompletionException(classify(failure));
                });
    }

    private static TeacherAnswer parse(HttpResponse<byte[]> response, long started) {
        if (response.statusCode() != 200) {
            throw new TeacherUnavailableException(TeacherUnavailableException.REJECTED,
                    "teacher answered HTTP " + response.statusCode() + ": " + snippet(response.body()));
        }
        try {
            JsonNode json = MessageCodec.mapper().readTree(response.body());
            String label = json.path("label").asText(null);
            if (label == null) {
                throw new TeacherUnavailableException(TeacherUnavailableException.REJECTED,
                        "teacher answer has no label: " + snippet(response.body()));
            }
            return new TeacherAnswer(label, json.path("response").asText(null), json.path("promptTokens").asLong(0),
                    json.path("published").asBoolean(false), (System.nanoTime() - started) / 1e6);
        } catch (IOException e) {
            throw new TeacherUnavailableException(TeacherUnavailableException.REJECTED,
                    "teacher answer is not JSON: " + e.getMessage());
        }
    }

    private static TeacherUnavailableException classify(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TeacherUnavailableException t) {
            return t;
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return new TeacherUnavailableException(TeacherUnavailableException.TIMEOUT, "no answer within the timeout");
        }
        if (cause instanceof ConnectException || cause instanceof IOException) {
            return new TeacherUnavailableException(TeacherUnavailableException.UNREACHABLE, cause.toString());
        }
        return new TeacherUnavailableException(TeacherUnavailableException.UNREACHABLE, String.valueOf(cause));
    }

    private static String snippet(byte[] body) {
        String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Calls in flight now. */
    public int inFlight() {
        return maxConcurrency - permits.availablePermits();
    }

    public URI labelUri() {
        return labelUri;
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    /**
     * @param promptTokens prompt tokens the teacher reported (0 for a teacher that does not count them)
     * @param published    whether the teacher put the example on distill.labeled
     */
    public record TeacherAnswer(String label, String response, long promptTokens, boolean published, double millis) {
    }
}
