package dev.distillery.student.cascade;

import java.util.Locale;

/** Who may answer a request: the student alone, or the student with the teacher behind it (the cascade). */
public enum ServingPolicy {
    STUDENT, CASCADE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but {@code student} or {@code cascade} */
    public static ServingPolicy fromKey(String key) {
        for (ServingPolicy p : values()) {
            if (p.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("policy must be 'student' or 'cascade', got '" + key + "'");
    }
}
