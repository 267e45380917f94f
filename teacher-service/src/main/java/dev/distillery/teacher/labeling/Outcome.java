package dev.distillery.teacher.labeling;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.RejectReason;

/** What became of one query: a labeled example, or a rejection with its reason. */
public sealed interface Outcome {

    String id();

    record Labeled(LabeledExample example) implements Outcome {
        @Override
        public String id() {
            return example.id();
        }
    }

    /** @param response the teacher's raw response when there was one (kept for unparseable answers), else null */
    record Rejection(String id, RejectReason reason, String detail, String response)
            implements Outcome, QueryDecoder.Result {

        public static Rejection of(String id, RejectReason reason, String detail) {
            return new Rejection(id, reason, detail, null);
        }
    }
}
