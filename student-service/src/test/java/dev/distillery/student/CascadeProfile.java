package dev.distillery.student;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The student with a teacher behind it ({@link RulesTeacherEndpoint}), a 4 s teacher timeout and no shadow audit. */
public class CascadeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("distillery.student.teacher-url", "http://127.0.0.1:" + RulesTeacherEndpoint.port(),
                "distillery.student.cascade.teacher-timeout", "4s",
                "distillery.student.cascade.on-teacher-failure", "student",
                "distillery.student.cascade.audit-rate", "0");
    }
}
