package org.integral4j.examples.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options of the example programs. */
public final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * @param args    the arguments, pairs {@code --name value}
     * @param allowed the names accepted (without {@code --})
     * @param usage   the usage line shown on a mistake
     */
    public Options(String[] args, Set<String> allowed, String usage) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !allowed.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Usage: " + usage + "; got '" + args[i] + "'"
                        + (name != null && !allowed.contains(name) ? " (options: " + allowed + ")" : ""));
            }
            values.put(name, args[++i]);
        }
    }

    /** @return whether the option was given */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** @return the option's text or the default */
    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** @return the option as an int or the default */
    public int getInt(String name, int fallback) {
        return has(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    /** @return the option as a double or the default */
    public double getDouble(String name, double fallback) {
        return has(name) ? Double.parseDouble(values.get(name)) : fallback;
    }
}
