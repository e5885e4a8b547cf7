package io.portside.handler.api;

/**
 * The identity of the process at the other end of a Unix stream socket, as the kernel reports it
 * ({@code SO_PEERCRED}): the user and group it runs as. The JDK reports names; where the system has no
 * name for an id, the name is the numeric id itself.
 */
public record PeerCredentials(String user, String group) {
}
