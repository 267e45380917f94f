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

        /** Bearer token (the api-key header on Azure); empty sends no Authorization header (local servers). */
        Optional<String> apiKey();

        /**
         * Azure OpenAI: the api-version query parameter (e.g. 2024-10-21). When set, base-url is the resource
         * (https://NAME.openai.azure.com), model the deployment name, and the key goes in the api-key header.
         */
        Optional<String> azureApiVersion();

        @WithDefault("0")
        double temperature();

        /** Token limit of one answer; reasoning models count their thinking in it. */
        @WithDefault("16")
        int maxTokens();

        /**
         * auto (max_completion_tokens, then max_tokens if the server refuses it), max-completion-tokens or
         * max-tokens.
         */
        @WithDefault("auto")
        String tokenLimitField();

        /**
         * Alternatives asked for at each answer token (top_logprobs, 0-20): the teacher's distribution over the
         * labels is read from them (soft targets). 0 asks for no log-probabilities. A server that refuses logprobs
         * is asked without them from then on.
         */
        @WithDefault("20")
        int topLogprobs();

        /** Per-request timeout (each attempt). */
        @WithDefault("30s")
        Duration timeout();

        /** Requests in flight at once, across the Kafka pipeline and POST /v1/label. */
        @WithDefault("8")
        int maxConcurrency();

        /**
         * Retries after the first attempt, on timeouts, connection errors, 408, 409, 429 and 5xx (the SDK's policy:
         * backoff from 0.5 s doubling with jitter, or the server's Retry-After, at most 8 s a wait).
         */
        @WithDefault("4")
        int maxRetries();
    }
}
