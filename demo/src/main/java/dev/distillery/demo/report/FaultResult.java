package dev.distillery.demo.report;

import java.util.List;

/**
 * One fault scenario's figures. {@code failedRequests} counts HTTP requests that got no answer or an error;
 * {@code allowedFailedRequests} is how many the scenario tolerates (while a killed single replica is down; -1: any
 * number while it is down, none after it is ready). {@code timeToReadySeconds} runs from the end of the fault to
 * the affected services reporting ready (NaN when not measured).
 */
public record FaultResult(String name, long produced, long labeled, long rejected, long missing, long duplicates,
        long failedRequests, String allowedFailedRequests, double timeToReadySeconds, boolean passed, String note) {

    public static String table(List<FaultResult> results) {
        StringBuilder out = new StringBuilder(String.format("%-20s %8s %8s %8s %7s %5s %7s %9s %7s  %s%n",
                "scenario", "produced", "labeled", "rejected", "missing", "dups", "failed", "ready(s)", "result",
                "note"));
        for (FaultResult r : results) {
            out.append(String.format("%-20s %8d %8d %8d %7d %5d %7s %9s %7s  %s%n", r.name, r.produced, r.labeled,
                    r.rejected, r.missing, r.duplicates, r.failedRequests + "/" + r.allowedFailedRequests,
                    Double.isNaN(r.timeToReadySeconds) ? "-" : String.format("%.1f", r.timeToReadySeconds),
                    r.passed ? "PASS" : "FAIL", r.note));
        }
        return out.toString();
    }
}
