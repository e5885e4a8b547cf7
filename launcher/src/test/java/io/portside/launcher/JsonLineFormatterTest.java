package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

/** The JSON console format: its keys, its escaping of anything a client or a handler can put in a line, one line each. */
class JsonLineFormatterTest {

    private static final List<String> HOSTILE = List.of(
            "plain", "", "line one\nline two\r\nline three", "a \"quoted\" word", "back\\slash \\n not a newline",
            "\u0000\u0001\u001f\u007f controls", "tab\there\bbell\u0007\fform", "\u2028line\u2029separators",
            "lone high \ud800 surrogate", "lone low \udc00 surrogate", "swapped \udc00\ud800 pair", "trailing high \ud83d",
            "a pair \ud83d\ude00 emoji", "caf\u00e9 \u4e2d\u6587", "{0} {1} braces", "</script><script>", "\ufeffbom", "\uffff");

    private static LogRecord record(Level level, String logger, String template, Object... parameters) {
        LogRecord r = new LogRecord(level, template);
        r.setLoggerName(logger);
        r.setParameters(parameters.length == 0 ? null : parameters);
        r.setInstant(Instant.parse("2026-11-30T19:45:01.234567Z"));
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String line) {
        assertTrue(line.endsWith(System.lineSeparator()), line);
        String json = line.substring(0, line.length() - System.lineSeparator().length());
        assertFalse(json.contains("\n") || json.contains("\r"), "one line: " + json);
        return (Map<String, Object>) JsonReader.parse(json);
    }

    @Test
    void aRejectionHasEveryKey() {
        String line = new JsonLineFormatter(false).format(record(Level.INFO, "io.portside.host", "Listener {0}: rejected {1}: {2}",
                "guarded", "/127.0.0.1:40000", "noloop: 127.0.0.1 is not allowed"));
        Map<String, Object> o = parse(line);
        assertEquals(Map.of("time", "2026-11-30T19:45:01.234Z", "level", "INFO", "logger", "io.portside.host", "listener", "guarded",
                "event", "connection.rejected", "message", "Listener guarded: rejected /127.0.0.1:40000: noloop: 127.0.0.1 is not allowed",
                "client", "/127.0.0.1:40000", "reason", "noloop: 127.0.0.1 is not allowed"), o);
        assertTrue(line.startsWith("{\"time\":"), "time first: " + line);
    }

    @Test
    void aHandlerFailureNamesRevisionClientReasonAndTheError() {
        LogRecord r = record(Level.WARNING, "io.portside.host", "Listener {0}: handler {1} failed on a request from {2}: {3}",
                "echo-tcp", "echo (io.portside.sample.echo 0.1.0)", "/127.0.0.1:5", "java.io.IOException: boom");
        r.setThrown(new IllegalStateException("multi\nline"));
        Map<String, Object> o = parse(new JsonLineFormatter(true).format(r));
        assertEquals("WARN", o.get("level"));
        assertEquals("handler.failed", o.get("event"));
        assertEquals("echo-tcp", o.get("listener"));
        assertEquals("echo (io.portside.sample.echo 0.1.0)", o.get("revision"));
        assertEquals("/127.0.0.1:5", o.get("client"));
        assertEquals("java.io.IOException: boom", o.get("reason"));
        assertEquals("java.lang.IllegalStateException: multi\nline", o.get("error"));
        assertTrue(((String) o.get("stack")).contains("\tat io.portside.launcher.JsonLineFormatterTest"), o.get("stack").toString());
    }

    @Test
    void aLineTheHostFormattedItselfIsMatchedByItsText() {
        // The host's change log formats listener changes before logging them: no parameters.
        Map<String, Object> o = parse(new JsonLineFormatter(false).format(record(Level.INFO, "io.portside.host",
                "Listener echo-tcp bound tcp://127.0.0.1:9999: handler echo (io.portside.sample.echo 0.1.0), concurrency threading")));
        assertEquals("listener.bound", o.get("event"));
        assertEquals("echo-tcp", o.get("listener"));
        assertEquals("echo (io.portside.sample.echo 0.1.0)", o.get("revision"));
        o = parse(new JsonLineFormatter(false).format(record(Level.INFO, "io.portside.host",
                "Listener echo-tcp on tcp://127.0.0.1:9999: swapped handler a (b 1.0.0) -> a (b 2.0.0); 3 connections open drain on the old one")));
        assertEquals("listener.swapped", o.get("event"));
        assertEquals("a (b 2.0.0)", o.get("revision"));
        o = parse(new JsonLineFormatter(false).format(record(Level.WARNING, "io.portside.host",
                "Listener echo-tcp: max.connections=-1 is not a whole number of at least 1")));
        assertEquals("listener.config.invalid", o.get("event"));
        assertEquals("echo-tcp", o.get("listener"));
        assertEquals("max.connections=-1 is not a whole number of at least 1", o.get("reason"));
    }

    @Test
    void anUnknownLineIsAGenericEventWithItsThreadsListener() throws InterruptedException {
        String[] line = new String[1];
        Thread t = new Thread(() -> line[0] = new JsonLineFormatter(false).format(
                record(Level.FINE, "io.portside.sample.filetransfer", "file-transfer: sent {0} bytes", 42)), "portside-files-threading-3");
        t.start();
        t.join();
        Map<String, Object> o = parse(line[0]);
        assertEquals("DEBUG", o.get("level"));
        assertEquals(LogEvents.GENERIC, o.get("event"));
        assertEquals("files", o.get("listener"));
        assertEquals("file-transfer: sent 42 bytes", o.get("message"));
        assertNull(o.get("client"));
        assertFalse(line[0].contains("\"client\""), "members without a value are left out: " + line[0]);
    }

    @Test
    void aSummaryIsOneObjectWithItsCountAndTemplate() {
        LogKind kind = new LogKind("guarded", "io.portside.host", Level.INFO, "Listener {0}: rejected {1}: {2}");
        LogRecord r = new LogSummary(kind, 4812, Level.INFO, "10 s").toRecord();
        r.setInstant(Instant.parse("2026-11-30T19:45:01Z"));
        Map<String, Object> o = parse(new JsonLineFormatter(false).format(r));
        assertEquals(LogEvents.SUPPRESSED, o.get("event"));
        assertEquals("guarded", o.get("listener"));
        assertEquals(4812L, o.get("count"));
        assertEquals("Listener {0}: rejected {1}: {2}", o.get("template"));
        assertEquals("... and 4,812 more like this in the last 10 s on listener guarded: \"Listener {0}: rejected {1}: {2}\"", o.get("message"));
        assertEquals("2026-11-30T19:45:01.000Z", o.get("time"));
    }

    @Test
    void hostileStringsStayOneLineOfValidJson() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String s : HOSTILE) {
            LogRecord r = record(Level.INFO, s, "Listener {0}: rejected {1}: {2}", s, s, s);
            r.setThrown(new RuntimeException(s));
            String line = new JsonLineFormatter(true).format(r);
            Map<String, Object> o = parse(line);
            String expected = expectedText(s);
            assertEquals(expected, o.get("logger"), "logger of " + escaped(s));
            assertEquals(expected, o.get("listener"), "listener of " + escaped(s));
            assertEquals(expected, o.get("reason"), "reason of " + escaped(s));
            assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n' || c == '\r'), "printable ASCII only: " + line);
            lines.add(line);
        }
        assertPythonReadsEveryLine(lines);
    }

    @Test
    void theEscaperWritesRfc8259Strings() {
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0000\\u001f\\u007f\"", JsonText.quoted("a\"b\\c\nd\re\tf\bg\fh\u0000\u001f\u007f"));
        assertEquals("\"\\u00e9\\ud83d\\ude00\\ufffdx\\ufffd\"", JsonText.quoted("\u00e9\ud83d\ude00" + "\ud800" + "x" + "\udc00"));
        assertEquals("{\"a\":\"1\",\"n\":-5}", new JsonText().field("a", "1").field("skipped", (String) null).field("n", -5).end());
    }

    /** What a reader gets back: the string itself, with each lone surrogate replaced by U+FFFD. */
    private static String expectedText(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return b.toString();
    }

    private static String escaped(String s) {
        return JsonText.quoted(s);
    }

    /** Python's strict json module, where it is installed: a second reader that is not ours. */
    static void assertPythonReadsEveryLine(List<String> lines) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 not installed");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                "import json,sys\nn=0\nfor l in sys.stdin:\n    o=json.loads(l)\n    assert isinstance(o, dict)\n    n+=1\nprint(n)")
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            for (String line : lines) {
                in.write(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals(String.valueOf(lines.size()), out);
    }
}
