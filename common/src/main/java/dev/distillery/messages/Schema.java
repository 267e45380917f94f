package dev.distillery.messages;

/** Version of the message contracts; bumped on any incompatible change to a record in this package. */
public final class Schema {
    public static final int VERSION = 1;

    private Schema() {
    }
}
