package io.portside.sample.filetransfer;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.portside.handler.api.StreamRequestHandler;
import io.portside.sample.filetransfer.ErrorReply.Code;

/**
 * Seed 004's protocol on one connection, command after command until the client closes:
 * <ol>
 * <li>client: {@code get <filename>}</li>
 * <li>server: the file size in ASCII decimal (no line ending, as the seed sends it), or an error line
 * {@code ERR <CODE> <text>\n}, after which the next command may follow</li>
 * <li>client: an acknowledgement, any bytes</li>
 * <li>server: exactly that many bytes of the file, then its MD5 digest as 32 lowercase hex characters</li>
 * </ol>
 * The file is streamed through a fixed {@value #CHUNK}-byte buffer, so memory does not grow with its size. A client
 * that goes away mid-transfer ends the handler, and the file is closed.
 */
final class FileTransferHandler extends StreamRequestHandler {

    static final int CHUNK = 64 * 1024;

    private static final System.Logger LOG = System.getLogger("io.portside.sample.filetransfer");

    private final FileRoot root;

    FileTransferHandler(FileRoot root) {
        this.root = root;
    }

    @Override
    protected void handle() throws IOException {
        CommandReader commands = new CommandReader(rfile);
        for (CommandReader.Line line; (line = commands.next()) != null; ) {
            Command command = Command.parse(line);
            if (command instanceof Command.Invalid invalid) {
                refuse(invalid.reply(), null);
                continue;
            }
            String name = ((Command.Get) command).name();
            FileRoot.Resolution resolution = root.resolve(name);
            if (resolution instanceof FileRoot.Refused refused) {
                refuse(refused.reply(), name);
                continue;
            }
            if (!send(name, ((FileRoot.Found) resolution), commands)) {
                return;
            }
        }
    }

    /** Sends one file; false if the connection is over (the client left, or the file changed under us). */
    private boolean send(String name, FileRoot.Found file, CommandReader commands) throws IOException {
        try (file) {
            SeekableByteChannel channel;
            try {
                // Opened in the folder the walk ended in, without following: a file swapped for a link fails here.
                channel = file.open();
            } catch (AccessDeniedException e) {
                refuse(new ErrorReply(Code.UNREADABLE, "cannot read: " + Printable.of(name)), name);
                return true;
            } catch (IOException e) {
                refuse(new ErrorReply(Code.UNREADABLE, "cannot open: " + Printable.of(name)), name);
                return true;
            }
            try (channel) {
                long size = channel.size();
                wfile.write(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
                return commands.awaitAcknowledgement() && stream(name, channel, size);
            }
        }
    }

    /** Streams {@code size} bytes of the file, then its digest; false if the connection is over. */
    private boolean stream(String name, SeekableByteChannel channel, long size) throws IOException {
        MessageDigest md5 = md5();
        long sent = 0;
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        while (sent < size) {
            buffer.clear().limit((int) Math.min(CHUNK, size - sent));
            int n = channel.read(buffer);
            if (n < 0) {
                LOG.log(Level.WARNING, "file-transfer: {0} shrank while being sent to {1} ({2} of {3} bytes); closing the connection",
                        Printable.of(name), clientAddress, String.valueOf(sent), String.valueOf(size));
                return false;
            }
            md5.update(buffer.array(), 0, n);
            if (!write(buffer.array(), n)) {
                LOG.log(Level.INFO, "file-transfer: {0} went away after {1} of {2} bytes of {3}", clientAddress,
                        String.valueOf(sent), String.valueOf(size), Printable.of(name));
                return false;
            }
            sent += n;
        }
        byte[] digest = HexFormat.of().formatHex(md5.digest()).getBytes(StandardCharsets.US_ASCII);
        if (!write(digest, digest.length)) {
            return false;
        }
        // Numbers as text: MessageFormat would group digits by locale ("536,870,912").
        LOG.log(Level.INFO, "file-transfer: sent {0} ({1} bytes) to {2}", Printable.of(name), String.valueOf(size), clientAddress);
        return true;
    }

    /** Writes to the client; false if it has gone away. */
    private boolean write(byte[] bytes, int length) {
        try {
            wfile.write(bytes, 0, length);
            return true;
        } catch (IOException clientGone) {
            return false;
        }
    }

    /**
     * Answers an error line and logs it: a warning for names that try to leave the root, else one info line.
     * {@code name} is the requested file name, {@code null} for a line that is not a command.
     */
    private void refuse(ErrorReply reply, String name) throws IOException {
        boolean hostile = reply.code() == Code.BAD_NAME || reply.code() == Code.OUTSIDE_ROOT;
        LOG.log(hostile ? Level.WARNING : Level.INFO, "file-transfer: refused {0} from {1} (root {2}): {3}",
                name == null ? "a command" : "'" + Printable.of(name) + "'", clientAddress, root.path(), reply);
        wfile.write(reply.bytes());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
