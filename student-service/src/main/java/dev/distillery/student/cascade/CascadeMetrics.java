package dev.distillery.student.cascade;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.distillery.student.serving.StudentSetup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the serving policy did, as Micrometer counters (at /q/metrics) and as totals for {@code GET /v1/model}.
 * Counters (all {@code distillery.student.cascade.*}): {@code answers{by}}, {@code deferrals{reason}},
 * {@code teacher.failures{kind}}, {@code prompt.tokens.saved}, {@code audit{result}}.
 */
@ApplicationScoped
public class CascadeMetrics {

    private final MeterRegistry registry;
    private final int promptTokens;
    private final AtomicLong studentAnswers = new AtomicLong();
    private final AtomicLong teacherAnswers = new AtomicLong();
    private final AtomicLong deferrals = new AtomicLong();
    private final AtomicLong teacherFailures = new AtomicLong();
    private final AtomicLong audited = new AtomicLong();
    private final AtomicLong auditAgreed = new AtomicLong();
    private final Counter tokensSaved;

    public CascadeMetrics(MeterRegistry registry, StudentSetup setup) {
        this.registry = registry;
        this.promptTokens = setup.promptTokens();
        this.tokensSaved = Counter.builder("distillery.student.cascade.prompt.tokens.saved")
                .description("Prompt tokens not sent to a prompted model: prompt tokens x answers the student gave")
                .register(registry);
    }

    void answered(CascadeAnswer answer) {
        boolean byStudent = CascadeAnswer.BY_STUDENT.equals(answer.answeredBy());
        (byStudent ? studentAnswers : teacherAnswers).incrementAndGet();
        registry.counter("distillery.student.cascade.answers", "by", answer.answeredBy()).increment();
        if (byStudent) {
            tokensSaved.increment(promptTokens);
        }
    }

    void deferred(String reason) {
        deferrals.incrementAndGet();
        registry.counter("distillery.student.cascade.deferrals", "reason", reason).increment();
    }

    void teacherFailed(String kind) {
        teacherFailures.incrementAndGet();
        registry.counter("distillery.student.cascade.teacher.failures", "kind", kind).increment();
    }

    void audit(String result) {
        if ("agree".equals(result) || "disagree".equals(result)) {
            audited.incrementAndGet();
            if ("agree".equals(result)) {
                auditAgreed.incrementAndGet();
            }
        }
        registry.counter("distillery.student.cascade.audit", "result", result).increment();
    }

    /** Totals since start. */
    public Totals totals() {
        long s = studentAnswers.get();
        long t = teacherAnswers.get();
        long a = audited.get();
        return new Totals(s + t, s, t, s + t == 0 ? null : s / (double) (s + t), deferrals.get(),
                teacherFailures.get(), s * promptTokens, a, a == 0 ? null : auditAgreed.get() / (double) a);
    }

    /**
     * @param coverage          share of answers the student gave (null before any)
     * @param deferrals         answers the student deferred (whether or not the teacher then answered)
     * @param promptTokensSaved prompt tokens x student answers
     * @param audited           confident student answers the shadow audit compared with the teacher
     * @param auditAgreement    their agreement (null before any): the live agreement of confident answers
     */
    public record Totals(long answers, long studentAnswers, long teacherAnswers, Double coverage, long deferrals,
            long teacherFailures, long promptTokensSaved, long audited, Double auditAgreement) {
    }
}
