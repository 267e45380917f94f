package dev.distillery.trainer.training;

/** The last checkpoint the trainer wrote and announced (or resumed from). */
public record PublishedCheckpoint(long version, String uri, double heldOutAgreement) {
}
