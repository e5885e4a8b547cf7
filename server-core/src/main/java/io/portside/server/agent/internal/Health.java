package io.portside.server.agent.internal;

/**
 * What the agent tells HAProxy, worst last: a verdict over several listeners is the worst of theirs. Each state names
 * the words of HAProxy's agent-check protocol (doc/configuration.txt, "agent-check") that say it.
 */
enum Health {
    /**
     * Serving. {@code ready} is said every time because only the agent may undo a {@code drain} it said earlier: HAProxy
     * keeps the administrative state until told otherwise.
     */
    UP("up ready"),
    /**
     * Still serving, but take no new connections: the host is stopping, or a listener is in its gap. {@code up} keeps
     * the server up (its open connections go on); {@code drain} sends new ones elsewhere.
     */
    DRAIN("up drain"),
    /** A required listener does not serve at all: its socket failed or it has none. */
    DOWN("down");

    private final String words;

    Health(String words) {
        this.words = words;
    }

    /** The agent-check words, without the comment and the line end. */
    String words() {
        return words;
    }
}
