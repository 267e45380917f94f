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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.distillery.messages.MessageCodec;

/**
 * The student's client of teacher-service's {@code POST /v1/label}. A plain {@link HttpClient} rather than a Quarkus
 * REST client: the cascade needs exactly two guarantees, a hard deadline per call (connection and any wait for a free
 * call slot included) and a bound on calls in flight ({@link TeacherCallSlots}), and both are a few lines here, where
 * a REST client would add the client and fault-tolerance extensions for the same effect. Non-blocking: callers get a
 * future that always completes within the timeout.
 */
public final class TeacherClient implements AutoCloseable {

    /** Calls that may wait for a slot, per slot: enough for a burst, bounded so a slow teacher cannot pile them up. */
    private static final int WAITING_PER_SLOT = 8;

    private final URI labelUri;
    private final Duration timeout;
    private final TeacherCallSlots slots;
    private final HttpClient http;

    public TeacherClient(String baseUrl, Duration timeout, int maxConcurrency) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("distillery.student.cascade.max-concurrency must be >= 1");
        }
        this.labelUri = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/label");
        this.timeout = timeout;
        this.slots = new TeacherCallSlots(maxConcurrency, WAITING_PER_SLOT * maxConcurrency);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * Asks the teacher for the label of one text; {@code publish} makes the teacher also publish it to
     * {@code distill.labeled} as a deferral. One deadline, {@code timeout}, covers waiting for a free call slot and
     * the call. Completes exceptionally with {@link TeacherUnavailableException} when no slot frees up in time (or
     * too many calls wait already), on timeout, on a connection failure and on any non-200 answer.
     */
    public CompletableFuture<TeacherAnswer> label(String text, boolean publish) {
        long started = System.nanoTime();
        return slots.acquire(timeout).thenCompose(slot -> call(text, publish, started));
    }

    /** The call itself, holding a slot; releases it however the call ends. */
    private CompletableFuture<TeacherAnswer> call(String text, boolean publish, long started) {
        long leftMillis = timeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (leftMillis < 1) {
            slots.release();
            return CompletableFuture.failedFuture(new TeacherUnavailableException(TeacherUnavailableException.TIMEOUT,
                    "the wait for a free teacher call took the whole timeout"));
        }
        ObjectNode body = MessageCodec.mapper().createObjectNode().put("text", text);
        if (publish) {
            body.put("publish", true);
        }
        HttpRequest request = HttpRequest.newBuilder(labelUri).timeout(Duration.ofMillis(leftMillis))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MessageCodec.mapper().valueToTree(body).toString()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build();
        CompletableFuture<TeacherAnswer> call;
        try {
            call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(response -> parse(response, started));
        } catch (RuntimeException e) {
            slots.release();
            return CompletableFuture.failedFuture(new TeacherUnavailableException(
                    TeacherUnavailableException.UNREACHABLE, e.toString()));
        }
        // The request timeout covers the response headers; orTimeout bounds the whole call whatever happens.
        return call.orTimeout(leftMillis + 250, TimeUnit.MILLISECONDS)
                .handle((answer, failure) -> {
                    slots.release();
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
