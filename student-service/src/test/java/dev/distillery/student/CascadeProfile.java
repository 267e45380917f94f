package dev.distillery.student;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The student with a teacher behind it ({@link RulesTeacherEndpoint}), a 1 s teacher timeout and no shadow audit. */
public class CascadeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("distillery.student.teacher-url", RulesTeacherEndpoint.get().url(),
                "distillery.student.cascade.teacher-timeout", "1s",
                "distillery.student.cascade.on-teacher-failure", "student",
                "distillery.student.cascade.audit-rate", "0");
    }
}
