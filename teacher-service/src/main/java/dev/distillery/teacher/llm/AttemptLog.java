package dev.distillery.teacher.llm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts the HTTP attempts of each teacher call and remembers why the last one failed. The SDK retries inside one
 * blocking call on the caller's thread, so the current call is a thread-local; the interceptor sees every attempt
 * and the sleeper every wait between two of them, which is where retries are reported.
 */
final class AttemptLog implements Interceptor {

    /** The attempts of one {@code answer} call. */
    static final class Call {
        private int attempts;
        private String lastFailure = "none";

        int attempts() {
            return attempts;
        }

        String lastFailure() {
            return lastFailure;
        }

        void end() {
            CURRENT.remove();
        }
    }

    private static final ThreadLocal<Call> CURRENT = new ThreadLocal<>();

    private final OpenAiClients.RetryObserver observer;
    private final Duration timeout;

    AttemptLog(OpenAiClients.RetryObserver observer, Duration timeout) {
        this.observer = observer;
        this.timeout = timeout;
    }

    Call begin() {
        Call call = new Call();
        CURRENT.set(call);
        return call;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Call call = CURRENT.get();
        if (call == null) {
            return chain.proceed(chain.request());
        }
        call.attempts++;
        try {
            Response response = chain.proceed(chain.request());
            if (!response.isSuccessful()) {
                call.lastFailure = "HTTP " + response.code();
            }
            return response;
        } catch (IOException e) {
            // A timed-out call is cancelled, which surfaces here as whatever the closed socket threw.
            call.lastFailure = e instanceof InterruptedIOException || chain.call().isCanceled()
                    ? "no response within " + timeout
                    : "I/O error: " + e;
            throw e;
        }
    }

    /** Called by the SDK's sleeper before it waits for the next attempt. */
    void waiting(Duration wait) {
        Call call = CURRENT.get();
        if (call != null) {
            observer.retrying(call.lastFailure, call.attempts, wait);
        }
    }
}
