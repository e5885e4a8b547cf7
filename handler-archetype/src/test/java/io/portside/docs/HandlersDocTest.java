package io.portside.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The guide and the README quote example sources under src/test/java/com/example verbatim, so the code a reader copies
 * is the code this module compiles (and, for the guide's handlers, tests). Edit the source file, then paste it in.
 */
class HandlersDocTest {

    private static final Path GUIDE = Path.of("../docs/handlers.md");
    private static final Path README = Path.of("../README.md");
    private static final Path EXAMPLES = Path.of("src/test/java/com/example");

    @Test
    void theGuideQuotesEveryExampleFileWhole() throws IOException {
        String guide = Files.readString(GUIDE);
        List<Path> examples;
        try (Stream<Path> files = Files.list(EXAMPLES.resolve("handlers"))) {
            examples = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(examples.isEmpty());
        for (Path example : examples) {
            assertQuoted(guide, GUIDE, example);
        }
    }

    @Test
    void theReadmeQuotesItsHandlerWholeAndItsPlainJavaLines() throws IOException {
        String readme = Files.readString(README);
        assertQuoted(readme, README, EXAMPLES.resolve("shout/ShoutService.java"));
        for (String line : Files.readAllLines(EXAMPLES.resolve("shout/PlainJava.java"))) {
            if (line.strip().startsWith("try (var server")) {
                assertTrue(readme.contains(line.strip()), README + " does not show: " + line.strip());
            }
        }
    }

    private static void assertQuoted(String text, Path document, Path example) throws IOException {
        String block = "```java\n" + Files.readString(example) + "```\n";
        assertTrue(text.contains(block), document + " does not quote " + example + " verbatim (as a ```java block)");
    }
}
