package dev.distillery.trainer.intake;

import dev.distillery.messages.RejectReason;

/** What one record of the labeled topic is to the trainer. */
public sealed interface Validation {

    record Valid(Example example) implements Validation {
    }

    /** @param id the record's example id when it could be read, else the Kafka key (may be null) */
    record Invalid(String id, RejectReason reason, String detail) implements Validation {
    }
}
