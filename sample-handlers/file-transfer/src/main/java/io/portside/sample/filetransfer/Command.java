package io.portside.sample.filetransfer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.portside.sample.filetransfer.ErrorReply.Code;

/** A parsed command line: {@code get <filename>} (the verb in any case), or why the line is not one. */
sealed interface Command permits Command.Get, Command.Invalid {

    /** Fetch one file; the name is everything after the verb, without surrounding white space. */
    record Get(String name) implements Command {
    }

    /** Not a command: the reply says why. */
    record Invalid(ErrorReply reply) implements Command {
        Invalid(String text) {
            this(new ErrorReply(Code.BAD_COMMAND, text));
        }
    }

    static Command parse(CommandReader.Line line) {
        if (line.tooLong()) {
            return new Invalid("line longer than " + CommandReader.MAX_LINE + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line.bytes())).toString().strip();
        } catch (CharacterCodingException e) {
            return new Invalid("the line is not UTF-8");
        }
        if (text.isEmpty()) {
            return new Invalid("empty line (expected 'get <filename>')");
        }
        int space = indexOfWhitespace(text);
        String verb = space < 0 ? text : text.substring(0, space);
        if (!verb.equalsIgnoreCase("get")) {
            return new Invalid("unknown command '" + Printable.of(verb) + "' (expected 'get <filename>')");
        }
        String name = space < 0 ? "" : text.substring(space + 1).strip();
        if (name.isEmpty()) {
            return new Invalid("'get' needs a file name");
        }
        return new Get(name);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
