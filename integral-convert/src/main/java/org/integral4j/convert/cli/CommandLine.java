package org.integral4j.convert.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arguments of one subcommand, parsed against its declared {@link Option}s.
 *
 * <p>Grammar: options start with {@code --}; a value follows as the next argument or after
 * {@code =} ({@code --ratio 0.5}, {@code --ratio=0.5}); flags take no value; an option given
 * twice is an error unless it is repeatable; {@code --} ends the options (later arguments are
 * positional even if they start with {@code -}); every other argument is positional. Immutable.
 */
final class CommandLine {

    /**
     * A declared option.
     *
     * @param name        the long name without dashes, e.g. {@code "ratio"}
     * @param valueName   the placeholder of its value in the usage text, e.g. {@code "R"}; null for a flag
     * @param repeatable  whether it may be given more than once
     * @param description one line for the usage text
     */
    record Option(String name, String valueName, boolean repeatable, String description) {

        /**
         * A flag (no value), at most once.
         *
         * @param name        long name without dashes
         * @param description usage line
         * @return the option
         */
        static Option flag(String name, String description) {
            return new Option(name, null, false, description);
        }

        /**
         * An option with a value, at most once.
         *
         * @param name        long name without dashes
         * @param valueName   placeholder of the value
         * @param description usage line
         * @return the option
         */
        static Option value(String name, String valueName, String description) {
            return new Option(name, valueName, false, description);
        }

        /**
         * An option with a value that may be repeated.
         *
         * @param name        long name without dashes
         * @param valueName   placeholder of the value
         * @param description usage line
         * @return the option
         */
        static Option repeatable(String name, String valueName, String description) {
            return new Option(name, valueName, true, description);
        }

        /** @return whether the option takes a value */
        boolean takesValue() {
            return valueName != null;
        }

        /** @return how the option is written in the usage text, e.g. {@code --ratio R} */
        String synopsis() {
            return "--" + name + (takesValue() ? " " + valueName : "");
        }
    }

    /** What a flag records as its value. */
    private static final String FLAG_VALUE = "true";

    private final String command;
    private final List<String> positionals;
    private final Map<String, List<String>> given;

    private CommandLine(String command, List<String> positionals, Map<String, List<String>> given) {
        this.command = command;
        this.positionals = Collections.unmodifiableList(positionals);
        this.given = Collections.unmodifiableMap(given);
    }

    /**
     * Parses the arguments of a subcommand.
     *
     * @param command the subcommand's name (for messages)
     * @param options the options it accepts
     * @param args    its arguments (after the subcommand name); not modified
     * @return the parsed command line
     * @throws CliException a usage error: unknown option, missing value, value given to a flag,
     *                      non-repeatable option given twice
     */
    static CommandLine parse(String command, List<Option> options, List<String> args) throws CliException {
        Map<String, Option> byName = new LinkedHashMap<>();
        for (Option o : options) {
            byName.put(o.name(), o);
        }
        List<String> positionals = new ArrayList<>();
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") ? arg.substring(2, eq < 0 ? arg.length() : eq) : arg;
            Option o = byName.get(name);
            if (o == null) {
                throw CliException.usage("unknown option '%s' for '%s'. Its options are: %s.", eq < 0 ? arg
                        : arg.substring(0, eq), command, synopses(options));
            }
            String value = null;
            if (o.takesValue()) {
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size() && !isLongOption(args.get(i + 1))) {
                    value = args.get(++i);
                } else {
                    throw CliException.usage("option --%s needs a value: %s.", name, o.synopsis());
                }
            } else if (eq >= 0) {
                throw CliException.usage("option --%s takes no value, got '%s'.", name, arg.substring(eq + 1));
            }
            List<String> values = given.computeIfAbsent(name, k -> new ArrayList<>());
            if (!values.isEmpty() && !o.repeatable()) {
                throw CliException.usage("option --%s is given more than once; give it once.", name);
            }
            values.add(o.takesValue() ? value : FLAG_VALUE);
        }
        return new CommandLine(command, positionals, given);
    }

    /** An argument that names an option rather than being a value: {@code --name}, not {@code -} or {@code --}. */
    private static boolean isLongOption(String arg) {
        return arg.startsWith("--") && arg.length() > 2;
    }

    private static String synopses(List<Option> options) {
        List<String> s = new ArrayList<>();
        for (Option o : options) {
            s.add(o.synopsis());
        }
        return String.join(", ", s);
    }

    /** @return the subcommand's name */
    String command() {
        return command;
    }

    /** @return the positional arguments in order */
    List<String> positionals() {
        return positionals;
    }

    /**
     * @param name an option's long name
     * @return whether it was given
     */
    boolean has(String name) {
        return given.containsKey(name);
    }

    /**
     * @param name an option's long name
     * @return its value, if given
     */
    Optional<String> value(String name) {
        List<String> v = given.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /**
     * @param name a repeatable option's long name
     * @return its values in the order given; empty if not given
     */
    List<String> values(String name) {
        return Collections.unmodifiableList(given.getOrDefault(name, List.of()));
    }
}
