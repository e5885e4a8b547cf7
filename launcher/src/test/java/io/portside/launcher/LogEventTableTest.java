package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The table of known log templates: still logged by the host, found both by template and by formatted text. */
class LogEventTableTest {

    private static final Pattern EVENT_NAME = Pattern.compile("[a-z]+(\\.[a-z]+)+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)\\}");

    @Test
    void everyTemplateIsStillLoggedSomewhere() throws IOException {
        String sources = joinedStringLiterals(List.of(Path.of("../server-core/src/main/java"),
                Path.of("../sample-handlers/policy-support/src/main/java"), Path.of("src/main/java")));
        for (LogEventTable.Known k : LogEventTable.KNOWN) {
            String t = k.template();
            if (t.equals(LogConfiguration.APPLIED) || t.equals(LogConfiguration.REFUSED) || t.equals(ConsoleLogging.UNCAUGHT)) {
                continue; // constants, not literals at their use
            }
            // RequestWatch appends "{5}" (how many lines were left out) to a constant.
            boolean found = sources.contains("\"" + t + "\"")
                    || t.endsWith("{5}") && sources.contains("\"" + t.substring(0, t.length() - 3) + "\"");
            assertTrue(found, "no source logs " + t + " any more: update LogEventTable");
        }
    }

    @Test
    void everyEntryHasAStableNameAndFieldsItsTemplateHas() {
        Set<String> templates = new HashSet<>();
        for (LogEventTable.Known k : LogEventTable.KNOWN) {
            assertTrue(templates.add(k.template()), "listed twice: " + k.template());
            assertTrue(EVENT_NAME.matcher(k.event()).matches(), k.event());
            Set<String> has = placeholders(k.template());
            for (String field : new String[] {k.client(), k.revision(), k.reason()}) {
                if (field != null) {
                    assertTrue(has.containsAll(placeholders(field)), field + " is not in " + k.template());
                }
            }
        }
    }

    @Test
    void everyTemplateIsFoundByItsParametersAndByItsFormattedText() {
        for (LogEventTable.Known k : LogEventTable.KNOWN) {
            int n = placeholders(k.template()).stream().mapToInt(Integer::parseInt).max().orElse(-1) + 1;
            Object[] args = new Object[n];
            for (int i = 0; i < n; i++) {
                args[i] = "arg" + i;
            }
            if (n > 0) {
                LogRecord byTemplate = new LogRecord(Level.INFO, k.template());
                byTemplate.setParameters(args);
                assertEvent(k, args, LogEvents.of(byTemplate, "main"));
            }
            LogRecord formatted = new LogRecord(Level.INFO, new MessageFormat(k.template()).format(args));
            assertEvent(k, args, LogEvents.of(formatted, "main"));
        }
    }

    private static void assertEvent(LogEventTable.Known k, Object[] args, LogEvents.LogEvent e) {
        String[] texts = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        assertEquals(k.event(), e.event(), k.template());
        assertEquals(k.template().startsWith("Listener {0}") ? "arg0" : null, e.listener(), k.template());
        assertEquals(LogEvents.field(k.client(), texts), e.client(), k.template());
        assertEquals(LogEvents.field(k.revision(), texts), e.revision(), k.template());
        if (k.reason() == null || !k.template().contains(k.reason() + "{")) { // "{2}{3}" cannot be split once formatted
            assertEquals(LogEvents.field(k.reason(), texts), e.reason(), k.template());
        }
    }

    @Test
    void theEventNamesTheBriefAsksForAreThere() {
        Set<String> events = new HashSet<>();
        LogEventTable.KNOWN.forEach(k -> events.add(k.event()));
        for (String e : List.of("listener.bound", "connection.rejected", "connection.timeout", "handler.failed", "tls.handshake.failed",
                "proxy.header.bad", "deploy.installed")) {
            assertTrue(events.contains(e), e);
        }
    }

    @Test
    void aLineOfNoKnownTemplateIsGeneric() {
        LogRecord r = new LogRecord(Level.INFO, "Creating configuration {io.portside.sample.echo}");
        r.setLoggerName("org.apache.felix.fileinstall");
        LogEvents.LogEvent e = LogEvents.of(r, "fileinstall-/tmp/deploy");
        assertEquals(LogEvents.GENERIC, e.event());
        assertEquals(null, e.listener());
        LogRecord host = new LogRecord(Level.INFO, "Listener {0}: something new {1}");
        host.setLoggerName("io.portside.host");
        host.setParameters(new Object[] {"echo-tcp", "x"});
        assertEquals("echo-tcp", LogEvents.of(host, "main").listener(), "a host line about a listener names it even if unknown");
    }

    private static Set<String> placeholders(String s) {
        Set<String> out = new HashSet<>();
        Matcher m = PLACEHOLDER.matcher(s);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Every .java file under {@code roots}, with "a" + "b" joined to "ab" so that templates split over lines read whole. */
    private static String joinedStringLiterals(List<Path> roots) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path root : roots) {
            assertNotNull(root);
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                    try {
                        all.append(Files.readString(p).replaceAll("\"\\s*\\+\\s*\"", "")).append('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return all.toString();
    }
}
