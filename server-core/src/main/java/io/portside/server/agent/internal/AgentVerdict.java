package io.portside.server.agent.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.portside.server.runtime.FailureReason;
import io.portside.server.runtime.ListenerState;
import io.portside.server.runtime.ListenerView;

/**
 * The agent's answer at one moment: a {@link Health} and why, read from the runtime view. The reason goes after a
 * {@code #}, which HAProxy shows on its stats page and in its log ("via agent : down (listener echo failed ...)").
 *
 * @param health what HAProxy is told
 * @param reason why, in a few words; empty when up
 */
record AgentVerdict(Health health, String reason) {

    /** HAProxy reads one line; a long reason is cut here so the line stays short whatever a listener is called. */
    static final int MAX_REASON = 120;

    static final AgentVerdict UP = new AgentVerdict(Health.UP, "");

    /**
     * Judges the listeners: {@code down} if a required one failed, has no socket or does not exist; else {@code drain}
     * if the host is stopping or a required one is in its gap; else {@code up}.
     *
     * @param required names of the required listeners; empty for all of {@code listeners}
     */
    static AgentVerdict judge(List<ListenerView> listeners, Collection<String> required, boolean stopping) {
        Map<String, ListenerView> byName = new HashMap<>();
        listeners.forEach(v -> byName.putIfAbsent(v.name(), v));
        AgentVerdict verdict = stopping ? new AgentVerdict(Health.DRAIN, "host stopping") : UP;
        Collection<String> names = required.isEmpty() ? listeners.stream().map(ListenerView::name).toList() : required;
        for (String name : names) {
            AgentVerdict one = of(name, byName.get(name));
            if (one.health().ordinal() > verdict.health().ordinal()) {
                verdict = one;
            }
        }
        return verdict;
    }

    /** One required listener's verdict; {@code view} is null when the host has no such listener. */
    static AgentVerdict of(String name, ListenerView view) {
        if (view == null) {
            return new AgentVerdict(Health.DOWN, "listener " + name + " missing");
        }
        if (view.state() == ListenerState.FAILED) {
            return new AgentVerdict(Health.DOWN, "listener " + name + " failed: " + reasonOf(view));
        }
        if (view.state() == ListenerState.WAITING) {
            // A configured listener that waits for its first handler has no socket: clients are refused, not held.
            return view.reason() == FailureReason.NO_HANDLER
                    ? new AgentVerdict(Health.DOWN, "listener " + name + " has no handler")
                    : new AgentVerdict(Health.DRAIN, "listener " + name + " in its gap");
        }
        if (view.reason() == FailureReason.POLICY_MISSING) { // bound, but every connection would be refused
            return new AgentVerdict(Health.DOWN, "listener " + name + " refuses everyone: a required policy is missing");
        }
        return UP;
    }

    private static String reasonOf(ListenerView view) {
        return view.reason() == null ? "unknown" : view.reason().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The reply line, ended by a line feed (HAProxy ignores a line without one). */
    String line() {
        return reason.isEmpty() ? health.words() + "\n" : health.words() + " #" + printable(reason) + "\n";
    }

    /** Keeps the line one line of plain ASCII, whatever names it holds. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON));
        for (int i = 0; i < text.length() && out.length() < MAX_REASON; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
