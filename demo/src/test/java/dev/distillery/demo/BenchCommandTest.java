package dev.distillery.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void benchTableHasARowPerDataset() {
        String table = BenchCommand.table(List.of(new BenchCommand.Row("built-in demo set", 1551, 1540, 11, 40.2, 90.5,
                0.961, 2500, 300, 180, 4.1, 12.3, 0.917, 0.994)), 50);
        assertTrue(table.contains("built-in demo set"), table);
        assertTrue(table.contains("0.917") && table.contains("0.994") && table.contains("coverage"), table);
        assertTrue(table.contains("0.961"), table);
        assertTrue(table.contains("4.1/12.3"), table);
    }
}
