package dev.distillery.teacher.labeling;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Schema;
import dev.distillery.task.TaskSpec;
import dev.distillery.teacher.labeling.Outcome.Labeled;
import dev.distillery.teacher.labeling.Outcome.Rejection;
import dev.distillery.teacher.metrics.TeacherMetrics;

/**
 * Asks the teacher about one query and reads its answer with the task's answer pattern. The label must be in the
 * task's label set; anything else becomes a rejection that keeps the raw response. When the teacher returned
 * log-probabilities, the example also carries its distribution over the labels ({@link LabelDistribution}).
 */
public final class Labeler {

    private final Teacher teacher;
    private final TaskSpec task;
    private final TeacherMetrics metrics;
    private final Clock clock;
    private final LabeledExample.TeacherInfo info;

    public Labeler(Teacher teacher, TaskSpec task, TeacherMetrics metrics, Clock clock) {
        this.teacher = teacher;
        this.task = task;
        this.metrics = metrics;
        this.clock = clock;
        this.info = new LabeledExample.TeacherInfo(teacher.kind(), teacher.model(), task.promptSha256());
    }

    public Outcome label(String id, String text) {
        long start = System.nanoTime();
        TeacherReply reply;
        try {
            reply = teacher.answer(text);
        } catch (TeacherException e) {
            metrics.teacherCall(teacher.kind(), System.nanoTime() - start, false);
            return new Rejection(id, e.reason(), e.getMessage(), e.response());
        } catch (RuntimeException e) {
            metrics.teacherCall(teacher.kind(), System.nanoTime() - start, false);
            return Rejection.of(id, RejectReason.TEACHER_FAILED, "teacher error: " + e);
        }
        long nanos = System.nanoTime() - start;
        metrics.teacherCall(teacher.kind(), nanos, true);
        metrics.tokens(reply.usage());
        String response = reply.response();
        Optional<String> label = task.extractLabel(response);
        if (label.isEmpty()) {
            return new Rejection(id, RejectReason.ANSWER_UNPARSEABLE,
                    "response does not match the answer pattern " + task.answerPattern().pattern()
                            + "; response: " + response, response);
        }
        if (!task.hasLabel(label.get())) {
            return new Rejection(id, RejectReason.LABEL_NOT_IN_SET,
                    "label '" + label.get() + "' is not one of " + task.labels() + "; response: " + response, response);
        }
        Map<String, Double> distribution = LabelDistribution.of(task, response, reply.tokens());
        return new Labeled(new LabeledExample(Schema.VERSION, id, text, response, label.get(), info, reply.usage(),
                nanos / 1_000_000, clock.instant(), distribution.isEmpty() ? null : distribution));
    }

    public Teacher teacher() {
        return teacher;
    }

    public TaskSpec task() {
        return task;
    }
}
