package dev.distillery.teacher.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The teacher-service's {@code distillery.*} configuration; every key can be set by env var (DISTILLERY_...). */
@ConfigMapping(prefix = "distillery")
public interface DistilleryConfig {

    Task task();

    Teacher teacher();

    Topics topics();

    interface Topics {
        @WithDefault(dev.distillery.kafka.Topics.QUERIES)
        String queries();

        @WithDefault(dev.distillery.kafka.Topics.LABELED)
        String labeled();

        @WithDefault(dev.distillery.kafka.Topics.REJECTED)
        String rejected();

        @WithDefault(dev.distillery.kafka.Topics.CHECKPOINTS)
        String checkpoints();
    }

    interface Task {
        /** Directory with task.json and the prompt; empty means the built-in language-id task. */
        Optional<String> path();
    }

    interface Teacher {
        /** {@code rules} (the embedded reference implementation) or {@code openai} (a chat-completions endpoint). */
        @WithDefault("rules")
        String kind();

        /** Longer texts are rejected (text-too-long), counted in UTF-16 chars as Java strings are. */
        @WithDefault("4000")
        int maxTextChars();

        /**
         * Queries labeled at once by the Kafka pipeline (the size of its worker pool). With the openai teacher the
         * requests in flight are further bounded by openai.max-concurrency.
         */
        @WithDefault("32")
        int concurrency();

        /** Most texts one POST /v1/queries may carry. */
        @WithDefault("1000")
        int maxBatch();

        OpenAi openai();
    }

    interface OpenAi {
        /** Base URL of the OpenAI-compatible API, ending before /chat/completions, e.g. http://localhost:8000/v1. */
        @WithDefault("http://localhost:8000/v1")
        String baseUrl();

        @WithDefault("gpt-4o-mini")
        String model();

        /** Bearer token; empty sends no Authorization header (local servers). */
        Optional<String> apiKey();

        @WithDefault("0")
        double temperature();

        @WithDefault("16")
        int maxTokens();

        /** Per-request timeout (each attempt). */
        @WithDefault("30s")
        Duration timeout();

        /** Requests in flight at once, across the Kafka pipeline and POST /v1/label. */
        @WithDefault("8")
        int maxConcurrency();

        /** Retries after the first attempt, on timeouts, connection errors, 429 and 5xx. */
        @WithDefault("4")
        int maxRetries();

        /** First backoff; doubles each retry, with full jitter, capped by max-backoff. */
        @WithDefault("500ms")
        Duration initialBackoff();

        @WithDefault("20s")
        Duration maxBackoff();

        /** Longest Retry-After the teacher honours; a longer one is cut to this. */
        @WithDefault("60s")
        Duration maxRetryAfter();
    }
}
