package dev.distillery.demo.run;

/** Reads one metric out of a Prometheus text exposition ({@code /q/metrics}): the sum over its series. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** Sum of every sample named exactly {@code name} (any labels); NaN when there is none. */
    public static double sum(String exposition, String name) {
        double total = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int end = name.length();
            if (line.length() <= end || (line.charAt(end) != '{' && line.charAt(end) != ' ')) {
                continue;
            }
            String rest = line.charAt(end) == '{' ? line.substring(line.indexOf('}', end) + 1) : line.substring(end);
            String[] parts = rest.trim().split("\\s+");
            try {
                total += Double.parseDouble(parts[0]);
                found = true;
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return found ? total : Double.NaN;
    }
}
