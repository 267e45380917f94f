package dev.distillery.teacher.llm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.distillery.messages.LabeledExample.Usage;
import dev.distillery.teacher.labeling.Teacher;
import dev.distillery.teacher.labeling.TeacherException;
import dev.distillery.teacher.labeling.TeacherReply;

/**
 * A teacher behind an OpenAI-compatible chat-completions endpoint (vLLM, Ollama, llama.cpp server, hosted APIs):
 * the task prompt P is the system message and the query the user message. At most {@code maxConcurrency} requests
 * are in flight at once (a backoff wait holds no permit). Timeouts, connection errors, 429 and 5xx are retried with
 * exponential backoff and jitter, or after the server's Retry-After; other 4xx answers fail at once.
 */
public final class OpenAiTeacher implements Teacher {

    public static final String KIND = "openai";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Told about each retry (metrics, logs). */
    @FunctionalInterface
    public interface RetryObserver {
        void retrying(String failure, int attempt, Duration wait);
    }

    public record Settings(String baseUrl, String model, Optional<String> apiKey, double temperature, int maxTokens,
            Duration timeout, int maxConcurrency, int maxRetries, Duration initialBackoff, Duration maxBackoff,
            Duration maxRetryAfter) {

        public Settings {
            if (maxConcurrency < 1 || maxRetries < 0 || maxTokens < 1) {
                throw new IllegalArgumentException("max-concurrency >= 1, max-retries >= 0 and max-tokens >= 1 needed");
            }
        }

        URI endpoint() {
            String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            return URI.create(base.endsWith("/chat/completions") ? base : base + "/chat/completions");
        }
    }

    private final Settings settings;
    private final String systemPrompt;
    private final HttpClient client;
    private final Semaphore permits;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final RetryObserver observer;
    private final URI endpoint;

    public OpenAiTeacher(Settings settings, String systemPrompt, Sleeper sleeper, RandomGenerator random,
            RetryObserver observer) {
        this.settings = settings;
        this.systemPrompt = systemPrompt;
        this.sleeper = sleeper;
        this.random = random;
        this.observer = observer;
        this.endpoint = settings.endpoint();
        this.permits = new Semaphore(settings.maxConcurrency(), true);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .build();
    }

    public OpenAiTeacher(Settings settings, String systemPrompt, RetryObserver observer) {
        this(settings, systemPrompt, duration -> Thread.sleep(duration), RandomGenerator.getDefault(), observer);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String model() {
        return settings.model();
    }

    @Override
    public TeacherReply answer(String text) throws TeacherException {
        HttpRequest request = request(text);
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration wait;
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TeacherException("interrupted while waiting for a request slot", e);
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return reply(response.body(), attempt);
                }
                if (status != 429 && status < 500) {
                    throw new TeacherException("HTTP " + status + " from " + endpoint + ": " + abbreviate(response.body()));
                }
                failure = "HTTP " + status;
                final int tried = attempt;
                wait = retryAfter(response).orElseGet(() -> backoff(tried));
            } catch (HttpTimeoutException e) {
                failure = "no response within " + settings.timeout();
                wait = backoff(attempt);
            } catch (IOException e) {
                failure = "I/O error: " + e;
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TeacherException("interrupted", e);
            } finally {
                permits.release();
            }
            if (attempt > settings.maxRetries()) {
                throw new TeacherException("gave up after " + attempt + " attempts, last: " + failure);
            }
            observer.retrying(failure, attempt, wait);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TeacherException("interrupted during backoff", e);
            }
        }
    }

    private HttpRequest request(String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        body.putArray("messages")
                .add(JSON.createObjectNode().put("role", "system").put("content", systemPrompt))
                .add(JSON.createObjectNode().put("role", "user").put("content", text));
        body.put("temperature", settings.temperature());
        body.put("max_tokens", settings.maxTokens());
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        settings.apiKey().filter(k -> !k.isBlank()).ifPresent(k -> builder.header("Authorization", "Bearer " + k));
        return builder.build();
    }

    private static TeacherReply reply(String body, int attempts) throws TeacherException {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new TeacherException("completion body is not JSON: " + abbreviate(body));
        }
        JsonNode content = json == null ? null : json.path("choices").path(0).path("message").path("content");
        if (content == null || !content.isTextual()) {
            throw new TeacherException("completion has no choices[0].message.content: " + abbreviate(body));
        }
        JsonNode usage = json.path("usage");
        return new TeacherReply(content.asText(),
                new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0)), attempts);
    }

    /** Exponential backoff with equal jitter: half the step fixed, half random, so waits never collapse to zero. */
    private Duration backoff(int attempt) {
        long base = settings.initialBackoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long step = Math.min(cap, base << Math.min(attempt - 1, 30));
        long half = step / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }

    /** Retry-After in seconds or as an HTTP date (and OpenAI's retry-after-ms), capped by max-retry-after. */
    Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<Duration> wait = response.headers().firstValue("retry-after-ms").flatMap(v -> {
            try {
                return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(v.strip()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        if (wait.isEmpty()) {
            wait = response.headers().firstValue("retry-after").flatMap(OpenAiTeacher::parseRetryAfter);
        }
        return wait.map(d -> d.isNegative() ? Duration.ZERO : d)
                .map(d -> d.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : d);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.strip();
        try {
            return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Duration.between(ZonedDateTime.now(at.getZone()), at));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
