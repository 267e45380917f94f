package dev.distillery.teacher.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import dev.distillery.messages.LabeledExample.Usage;
import dev.distillery.messages.RejectReason;

/**
 * The teacher's meters at /q/metrics: {@code distillery_teacher_labeled_total{label}},
 * {@code distillery_teacher_rejected_total{reason}}, {@code distillery_teacher_latency_seconds{kind,outcome}},
 * {@code distillery_teacher_tokens_total{type}} and {@code distillery_teacher_retries_total}.
 */
@ApplicationScoped
public class TeacherMetrics {

    private final MeterRegistry registry;
    private final Counter promptTokens;
    private final Counter completionTokens;
    private final Counter retries;

    public TeacherMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.promptTokens = Counter.builder("distillery.teacher.tokens").tag("type", "prompt")
                .description("Tokens the teacher reported").register(registry);
        this.completionTokens = Counter.builder("distillery.teacher.tokens").tag("type", "completion")
                .description("Tokens the teacher reported").register(registry);
        this.retries = Counter.builder("distillery.teacher.retries")
                .description("Teacher requests retried (timeouts, I/O errors, 408, 409, 429, 5xx)").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejectedCounter(reason.code());
        }
    }

    public void labeled(String label) {
        Counter.builder("distillery.teacher.labeled").tag("label", label)
                .description("Queries labeled and published to distill.labeled").register(registry).increment();
    }

    public void rejected(RejectReason reason) {
        rejectedCounter(reason.code()).increment();
    }

    public void teacherCall(String kind, long nanos, boolean ok) {
        Timer.builder("distillery.teacher.latency").tag("kind", kind).tag("outcome", ok ? "ok" : "failed")
                .description("Time the teacher took to answer one query, retries included")
                .publishPercentileHistogram()
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void tokens(Usage usage) {
        if (usage != null) {
            promptTokens.increment(usage.promptTokens());
            completionTokens.increment(usage.completionTokens());
        }
    }

    public void retry() {
        retries.increment();
    }

    private Counter rejectedCounter(String reason) {
        return Counter.builder("distillery.teacher.rejected").tag("reason", reason)
                .description("Queries published to distill.rejected, by reason").register(registry);
    }
}
