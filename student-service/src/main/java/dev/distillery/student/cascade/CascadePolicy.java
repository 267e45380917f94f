package dev.distillery.student.cascade;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.distillery.cascade.CascadeCalibration;
import dev.distillery.cascade.ConfidenceScore;
import dev.distillery.http.ApiException;
import dev.distillery.model.Prediction;
import dev.distillery.student.config.StudentConfig;
import dev.distillery.student.serving.MicroBatcher;
import dev.distillery.student.serving.ModelNotReadyException;
import dev.distillery.student.serving.ModelSlots;
import dev.distillery.student.serving.ServedModel;

/**
 * The serving policies. {@code student}: the student answers everything. {@code cascade}: the student keeps the
 * answers whose confidence score reaches the served checkpoint's calibrated threshold and defers the rest (and
 * everything while no checkpoint is served) to teacher-service, which also publishes each deferral to
 * {@code distill.labeled} so the trainer learns from exactly the queries the student was unsure of. When the teacher
 * fails, {@code on-teacher-failure} decides: the student's own answer, flagged, or 503. A sample of confident answers
 * is audited against the teacher in the background.
 */
@ApplicationScoped
public class CascadePolicy {

    private static final Logger LOG = Logger.getLogger(CascadePolicy.class);

    private final MicroBatcher batcher;
    private final ModelSlots slots;
    private final CascadeMetrics metrics;
    private final Optional<TeacherClient> teacher;
    private final ServingPolicy defaultPolicy;
    private final ConfidenceScore score;
    private final boolean fallBackToStudent;
    private final double auditRate;

    public CascadePolicy(MicroBatcher batcher, ModelSlots slots, CascadeMetrics metrics, StudentConfig config) {
        this.batcher = batcher;
        this.slots = slots;
        this.metrics = metrics;
        StudentConfig.Student s = config.student();
        StudentConfig.Cascade c = s.cascade();
        this.teacher = s.teacherUrl().filter(u -> !u.isBlank())
                .map(url -> new TeacherClient(url, c.teacherTimeout(), c.maxConcurrency()));
        this.defaultPolicy = s.policy().filter(p -> !p.isBlank()).map(ServingPolicy::fromKey)
                .orElse(teacher.isPresent() ? ServingPolicy.CASCADE : ServingPolicy.STUDENT);
        if (defaultPolicy == ServingPolicy.CASCADE && teacher.isEmpty()) {
            throw new IllegalStateException("distillery.student.policy=cascade needs distillery.student.teacher-url");
        }
        this.score = ConfidenceScore.fromKey(c.score());
        this.fallBackToStudent = switch (c.onTeacherFailure().trim()) {
            case "student" -> true;
            case "error" -> false;
            default -> throw new IllegalStateException(
                    "distillery.student.cascade.on-teacher-failure must be 'student' or 'error', got '"
                            + c.onTeacherFailure() + "'");
        };
        if (!(c.auditRate() >= 0 && c.auditRate() <= 1)) {
            throw new IllegalStateException("distillery.student.cascade.audit-rate must be in [0, 1]");
        }
        this.auditRate = c.auditRate();
    }

    public ServingPolicy defaultPolicy() {
        return defaultPolicy;
    }

    public ConfidenceScore score() {
        return score;
    }

    public boolean teacherConfigured() {
        return teacher.isPresent();
    }

    /** The policy a request named (null: the default). */
    public ServingPolicy resolve(String requested) {
        if (requested == null) {
            return defaultPolicy;
        }
        ServingPolicy policy;
        try {
            policy = ServingPolicy.fromKey(requested);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-policy", e.getMessage());
        }
        if (policy == ServingPolicy.CASCADE && teacher.isEmpty()) {
            throw ApiException.badRequest("cascade-unavailable",
                    "policy 'cascade' needs a teacher: distillery.student.teacher-url is not configured");
        }
        return policy;
    }

    /** The served checkpoint's threshold for the configured score, empty when it has none (everything defers). */
    public Optional<Double> servedThreshold() {
        return slots.current().flatMap(this::threshold);
    }

    /**
     * Answers the texts in order under the policy; all student answers come from one forward pass on one model.
     * Completes exceptionally with {@link ModelNotReadyException} (student policy, or the teacher failed before any
     * checkpoint), {@link TeacherUnavailableException} (on-teacher-failure=error) or what the batcher throws.
     */
    public CompletableFuture<Answers> answer(List<String> texts, ServingPolicy policy) {
        CompletableFuture<dev.distillery.student.serving.Inference> inference = batcher.submit(texts);
        if (policy == ServingPolicy.STUDENT) {
            return inference.thenApply(i -> {
                List<CascadeAnswer> out = new ArrayList<>(texts.size());
                for (Prediction p : i.predictions()) {
                    out.add(record(new CascadeAnswer(p.label(), CascadeAnswer.BY_STUDENT, null, p, score.of(p), null)));
                }
                return new Answers(out, i.version());
            });
        }
        return inference.handle((i, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (!(cause instanceof ModelNotReadyException)) {
                    throw new CompletionException(cause);
                }
                List<CompletableFuture<CascadeAnswer>> deferred = new ArrayList<>();
                for (String text : texts) {
                    deferred.add(defer(text, null, null, null, CascadeAnswer.NO_CHECKPOINT));
                }
                return join(deferred, null);
            }
            Optional<Double> threshold = thresholdOf(i.version());
            List<CompletableFuture<CascadeAnswer>> answers = new ArrayList<>(texts.size());
            for (int k = 0; k < texts.size(); k++) {
                Prediction p = i.predictions().get(k);
                double s = score.of(p);
                if (threshold.isPresent() && s >= threshold.get()) {
                    CascadeAnswer confident = record(new CascadeAnswer(p.label(), CascadeAnswer.BY_STUDENT, null, p, s,
                            threshold.get()));
                    maybeAudit(texts.get(k), p.label());
                    answers.add(CompletableFuture.completedFuture(confident));
                } else {
                    answers.add(defer(texts.get(k), p, s, threshold.orElse(null),
                            threshold.isPresent() ? CascadeAnswer.BELOW_THRESHOLD : CascadeAnswer.NO_THRESHOLD));
                }
            }
            return join(answers, i.version());
        }).thenCompose(f -> f);
    }

    private CompletableFuture<CascadeAnswer> defer(String text, Prediction p, Double s, Double threshold,
            String reason) {
        metrics.deferred(reason);
        return teacher.orElseThrow().label(text, true).handle((answer, failure) -> {
            if (failure == null) {
                return record(new CascadeAnswer(answer.label(), CascadeAnswer.BY_TEACHER, reason, p, s, threshold));
            }
            Throwable cause = unwrap(failure);
            String kind = cause instanceof TeacherUnavailableException t ? t.kind() : "error";
            metrics.teacherFailed(kind);
            LOG.debugf("teacher failed on a deferral (%s): %s", kind, cause.getMessage());
            if (fallBackToStudent && p != null) {
                return record(new CascadeAnswer(p.label(), CascadeAnswer.BY_STUDENT,
                        CascadeAnswer.TEACHER_UNAVAILABLE, p, s, threshold));
            }
            if (fallBackToStudent) {
                throw new CompletionException(new ModelNotReadyException(
                        "no checkpoint is served yet and the teacher did not answer (" + kind + "): "
                                + cause.getMessage()));
            }
            throw new CompletionException(cause instanceof TeacherUnavailableException t ? t
                    : new TeacherUnavailableException(kind, String.valueOf(cause)));
        });
    }

    /** Sends a confident answer's text to the teacher in the background, now and then, without publishing it. */
    private void maybeAudit(String text, String studentLabel) {
        if (auditRate <= 0 || ThreadLocalRandom.current().nextDouble() >= auditRate) {
            return;
        }
        teacher.get().label(text, false).whenComplete((answer, failure) -> {
            if (failure != null) {
                metrics.audit("failed");
            } else {
                metrics.audit(answer.label().equals(studentLabel) ? "agree" : "disagree");
            }
        });
    }

    private CascadeAnswer record(CascadeAnswer answer) {
        metrics.answered(answer);
        return answer;
    }

    private Optional<Double> thresholdOf(Long version) {
        if (version == null) {
            return Optional.empty(); // the untrained base has no calibration
        }
        Optional<ServedModel> served = slots.current().filter(m -> version.equals(m.version()));
        if (served.isEmpty()) {
            served = slots.previous().filter(m -> version.equals(m.version()));
        }
        return served.flatMap(this::threshold);
    }

    private Optional<Double> threshold(ServedModel served) {
        return Optional.ofNullable(served.metrics().get(CascadeCalibration.thresholdKey(score)));
    }

    private static CompletableFuture<Answers> join(List<CompletableFuture<CascadeAnswer>> answers, Long version) {
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new Answers(answers.stream().map(CompletableFuture::join).toList(), version));
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @PreDestroy
    void close() {
        teacher.ifPresent(TeacherClient::close);
    }

    /** Answers in request order; {@code checkpoint} is the version the student answered with (null: none served). */
    public record Answers(List<CascadeAnswer> answers, Long checkpoint) {
    }
}
