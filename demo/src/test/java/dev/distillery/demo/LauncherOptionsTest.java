package dev.distillery.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.distillery.demo.LauncherOptions.UsageException;

class LauncherOptionsTest {

    private static LauncherOptions parse(String... args) throws Exception {
        return LauncherOptions.parse(List.of(args));
    }

    @Test
    void demoDefaults() throws Exception {
        LauncherOptions o = parse("demo");
        assertEquals(LauncherOptions.Command.DEMO, o.command());
        assertFalse(o.exitAfterReport());
        assertNull(o.reportFile());
        assertNull(o.queriesFile());
        assertNull(o.bootstrap());
        assertEquals(LauncherOptions.DEFAULT_TIMEOUT, o.timeout());
        assertEquals(0.95, o.targetAgreement());
        assertEquals(LauncherOptions.DEFAULT_RATE, o.rate());
        assertNull(o.base());
    }

    @Test
    void baseDirectoryMustHoldAHuggingFaceModel(@TempDir Path dir) throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> parse("demo", "--base", dir.toString()));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
        for (String file : List.of("config.json", "model.safetensors")) {
            Files.writeString(dir.resolve(file), "{}");
        }
        e = assertThrows(UsageException.class, () -> parse("bench", "--base=" + dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        assertEquals(dir.toAbsolutePath(), parse("demo", "--base", dir.toString()).base());
        assertEquals(dir.toAbsolutePath(), parse("bench", "--base=" + dir).base());
        assertThrows(UsageException.class, () -> parse("demo", "--base"));
    }

    @Test
    void everyDemoOptionInBothSpellings() throws Exception {
        LauncherOptions o = parse("demo", "--exit", "--report", "out/report.json", "--queries=q.txt",
                "--bootstrap", "localhost:9092", "--timeout=120", "--target-agreement", "0.9", "--rate", "0");
        assertTrue(o.exitAfterReport());
        assertEquals(Path.of("out/report.json"), o.reportFile());
        assertEquals(Path.of("q.txt"), o.queriesFile());
        assertEquals("localhost:9092", o.bootstrap());
        assertEquals(Duration.ofSeconds(120), o.timeout());
        assertEquals(0.9, o.targetAgreement());
        assertEquals(0.0, o.rate());
    }

    @Test
    void bench() throws Exception {
        LauncherOptions o = parse("bench", "--queries", "data.txt");
        assertEquals(LauncherOptions.Command.BENCH, o.command());
        assertEquals(Path.of("data.txt"), o.queriesFile());
    }

    @Test
    void rejectsWhatItDoesNotUnderstand() {
        for (List<String> bad : List.of(
                List.<String>of(),
                List.of("train"),
                List.of("demo", "--nope"),
                List.of("demo", "--report"),
                List.of("demo", "--report", "--exit"),
                List.of("demo", "--bootstrap", "localhost"),
                List.of("demo", "--bootstrap", "localhost:99999"),
                List.of("demo", "--bootstrap", ":9092"),
                List.of("demo", "--timeout", "0"),
                List.of("demo", "--timeout", "soon"),
                List.of("demo", "--target-agreement", "1.5"),
                List.of("demo", "--rate", "-1"),
                List.of("demo", "--exit=yes"),
                List.of("bench", "--exit"))) {
            assertThrows(LauncherOptions.UsageException.class, () -> LauncherOptions.parse(bad), bad.toString());
        }
    }

    @Test
    void help() {
        assertThrows(LauncherOptions.HelpRequested.class, () -> parse("--help"));
        assertThrows(LauncherOptions.HelpRequested.class, () -> parse("demo", "-h"));
        assertThrows(LauncherOptions.VersionRequested.class, () -> parse("--version"));
        assertThrows(LauncherOptions.VersionRequested.class, () -> parse("-V"));
    }

    @Test
    void evalTakesAFileAndOptionallyBothServiceUrls() throws Exception {
        LauncherOptions o = parse("eval", "texts.jsonl", "--report", "r.json");
        assertEquals(LauncherOptions.Command.EVAL, o.command());
        assertEquals(Path.of("texts.jsonl"), o.evalFile());
        assertEquals(Path.of("r.json"), o.reportFile());
        assertNull(o.teacherUrl());
        assertFalse(o.evalCascade());
        assertTrue(parse("eval", "texts.jsonl", "--cascade").evalCascade());
        assertThrows(LauncherOptions.UsageException.class, () -> parse("eval", "a.txt", "--cascade=yes"));
        assertThrows(LauncherOptions.UsageException.class, () -> parse("demo", "--cascade"), "--cascade is for eval");
        LauncherOptions urls = parse("eval", "--teacher=http://localhost:8081", "t.txt", "--student",
                "http://127.0.0.1:8083/");
        assertEquals("http://localhost:8081", urls.teacherUrl());
        assertEquals("http://127.0.0.1:8083/", urls.studentUrl());
        assertEquals(Path.of("t.txt"), urls.evalFile());
        assertThrows(LauncherOptions.UsageException.class, () -> parse("eval"), "a file is needed");
        assertThrows(LauncherOptions.UsageException.class, () -> parse("eval", "a.txt", "b.txt"));
        assertThrows(LauncherOptions.UsageException.class,
                () -> parse("eval", "a.txt", "--teacher", "http://localhost:1"), "both or neither");
        assertThrows(LauncherOptions.UsageException.class,
                () -> parse("eval", "a.txt", "--teacher", "localhost:1", "--student", "http://localhost:2"));
        assertThrows(LauncherOptions.UsageException.class, () -> parse("eval", "a.txt", "--exit"));
        assertThrows(LauncherOptions.UsageException.class,
                () -> parse("demo", "--student", "http://localhost:2"), "--student is for eval");
        assertThrows(LauncherOptions.UsageException.class, () -> parse("demo", "stray.txt"));
    }
}
