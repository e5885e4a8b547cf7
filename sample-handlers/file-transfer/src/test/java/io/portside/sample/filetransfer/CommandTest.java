package io.portside.sample.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.portside.sample.filetransfer.ErrorReply.Code;

class CommandTest {

    private static Command parse(String line) {
        return Command.parse(new CommandReader.Line(line.getBytes(StandardCharsets.UTF_8), false));
    }

    private static String invalid(String line) {
        ErrorReply reply = assertInstanceOf(Command.Invalid.class, parse(line), line).reply();
        assertEquals(Code.BAD_COMMAND, reply.code());
        return reply.text();
    }

    @Test
    void getTakesTheRestOfTheLineAsTheName() {
        assertEquals(new Command.Get("a.txt"), parse("get a.txt"));
        assertEquals(new Command.Get("a.txt"), parse("  GET   a.txt  "));
        assertEquals(new Command.Get("with space.txt"), parse("get with space.txt"));
        assertEquals(new Command.Get("a.txt"), parse("get\ta.txt"));
    }

    @Test
    void otherLinesAreRefusedWithAReason() {
        assertTrue(invalid("put a.txt").contains("unknown command 'put'"));
        assertTrue(invalid("get").contains("needs a file name"));
        assertTrue(invalid("   ").contains("empty line"));
        assertTrue(invalid("\u0007\u0008").contains("unknown command"));
        assertEquals("line longer than 1024 bytes",
                assertInstanceOf(Command.Invalid.class, Command.parse(new CommandReader.Line(new byte[1024], true))).reply().text());
        assertEquals("the line is not UTF-8", assertInstanceOf(Command.Invalid.class,
                Command.parse(new CommandReader.Line(new byte[] {'g', 'e', 't', ' ', (byte) 0xff, (byte) 0xfe}, false))).reply().text());
    }

    @Test
    void errorRepliesAreOneLineThatNoSizeCanLookLike() {
        byte[] bytes = new ErrorReply(Code.NOT_FOUND, "no such file: x").bytes();
        assertEquals("ERR NOT_FOUND no such file: x\n", new String(bytes, StandardCharsets.US_ASCII));
    }
}
