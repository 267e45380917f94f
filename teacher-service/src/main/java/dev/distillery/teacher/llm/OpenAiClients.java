package dev.distillery.teacher.llm;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.Timeout;

/**
 * Builds the official OpenAI SDK client from the teacher's whole configuration, in one place. The SDK is used
 * rather than a generic REST client because it already implements what OpenAI-compatible servers expect of a
 * client: the retry policy of the OpenAI API (408, 409, 429, 5xx, I/O errors; {@code Retry-After},
 * {@code retry-after-ms}, {@code x-should-retry}; exponential backoff from 0.5 s with jitter, at most 8 s a wait),
 * Azure's deployment paths, {@code api-version} and {@code api-key} header, and typed log-probabilities.
 */
public final class OpenAiClients {

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

    private OpenAiClients() {
    }

    /** The statuses the SDK retries (without an {@code x-should-retry} header saying otherwise). */
    static boolean retried(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    static OpenAIClient create(OpenAiTeacher.Settings settings, AttemptLog attempts, Sleeper sleeper) {
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder()
                .baseUrl(settings.baseUrl())
                .maxRetries(settings.maxRetries())
                .timeout(Timeout.builder().request(settings.timeout()).read(settings.timeout())
                        .connect(settings.timeout()).build())
                .addInterceptor(attempts)
                .sleeper(new SdkSleeper(sleeper, attempts));
        String key = settings.apiKey().filter(k -> !k.isBlank()).orElse(null);
        if (settings.azureApiVersion().filter(v -> !v.isBlank()).isPresent()) {
            builder.azureUrlPathMode(AzureUrlPathMode.LEGACY)
                    .azureServiceVersion(AzureOpenAIServiceVersion.fromString(settings.azureApiVersion().get().strip()))
                    .credential(AzureApiKeyCredential.create(requireKey(key)));
        } else if (key != null) {
            builder.apiKey(key);
        } else {
            // Local servers (vLLM, Ollama, llama.cpp) take no key; the SDK wants one, so drop its header.
            builder.apiKey("none").removeHeaders("Authorization");
        }
        return builder.build();
    }

    private static String requireKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("distillery.teacher.openai.api-key is required with azure-api-version");
        }
        return key;
    }

    /** Adapts {@link Sleeper} to the SDK's, and reports each wait as a retry. */
    private record SdkSleeper(Sleeper sleeper, AttemptLog attempts) implements com.openai.core.Sleeper {

        @Override
        public void sleep(Duration duration) {
            attempts.waiting(duration);
            try {
                sleeper.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new com.openai.errors.OpenAIException("interrupted during backoff", e) {
                };
            }
        }

        @Override
        public CompletableFuture<Void> sleepAsync(Duration duration) {
            return CompletableFuture.runAsync(() -> sleep(duration));
        }

        @Override
        public void close() {
        }
    }
}
