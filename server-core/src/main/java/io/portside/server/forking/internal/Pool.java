package io.portside.server.forking.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.portside.server.forking.HandlerClass;

/**
 * The workers of one handler class and the requests waiting for one of them to start. Only its own methods change
 * its state; every call is made under the supervisor's lock ({@link Pools#lock()}).
 */
final class Pool {

    /** The longest wait between two starts after failed ones. */
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final HandlerClass handler;
    /** Idle workers, the most recently used last: it is taken first, so hot (JIT-compiled) workers stay busy. */
    private final Deque<WorkerProcess> idle = new ArrayDeque<>();
    private final Set<WorkerProcess> all = new LinkedHashSet<>();
    /** Requests waiting for a worker that is starting, oldest first; never more than {@link #starting}. */
    private final Deque<Job> pending = new ArrayDeque<>();
    private int starting;
    /** No new spares; workers quit once idle. Requests pinned to it are still served. */
    private boolean retired;
    /** Why the handler class cannot start in a worker; requests are refused with it. */
    private String broken;
    /** Start failures in a row, and when the next start may be tried (a doubling back-off, so a bad launch cannot spin). */
    private int failures;
    private long nextStartNanos;

    Pool(HandlerClass handler) {
        this.handler = handler;
    }

    HandlerClass handler() {
        return handler;
    }

    String name() {
        String n = handler.className();
        return n.substring(n.lastIndexOf('.') + 1);
    }

    // ------------------------------------------------------------------ life of the pool

    boolean isRetired() {
        return retired;
    }

    void retire() {
        retired = true;
    }

    /** Spares again (a handler class retired and then prestarted anew). */
    void reactivate() {
        retired = false;
    }

    /** Why no worker of it can start, or null. */
    String broken() {
        return broken;
    }

    /** No worker of it can ever start: the queued jobs are returned, ended, for the caller to refuse. */
    List<Job> breakDown(String reason) {
        broken = reason;
        return drainPending();
    }

    /** Retired, with no worker and nothing queued: nothing keeps it. */
    boolean isDone() {
        return retired && all.isEmpty() && pending.isEmpty();
    }

    /** A spare to keep it at {@code minIdle}: idle and starting workers beyond those its queued jobs wait for. */
    boolean lacksSpares(int minIdle) {
        return idle.size() + starting - pending.size() < minIdle;
    }

    // ------------------------------------------------------------------ starts

    /** {@code w} is starting for this pool. */
    void spawned(WorkerProcess w) {
        all.add(w);
        starting++;
    }

    /** A start succeeded: the back-off is over. */
    void started() {
        starting--;
        failures = 0;
    }

    /** A start of {@code w} failed. */
    void startFailed(WorkerProcess w) {
        all.remove(w);
        starting--;
    }

    /** After a start failed for a reason that may pass: the next start waits, twice as long each time up to 5 s. */
    void backOff(long nowNanos) {
        failures++;
        nextStartNanos = nowNanos + Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(6, failures - 1)) * 1_000_000;
    }

    /** How long until a start may be tried; zero or less: now. */
    long startDelayNanos(long nowNanos) {
        return nextStartNanos - nowNanos;
    }

    int starting() {
        return starting;
    }

    /** More workers starting than jobs waiting for them: a new job can wait for one. */
    boolean startsAhead() {
        return starting > pending.size();
    }

    /** Fewer workers starting than jobs waiting for them. */
    boolean startsBehind() {
        return starting < pending.size();
    }

    // ------------------------------------------------------------------ idle workers

    boolean hasIdle() {
        return !idle.isEmpty();
    }

    /** The worker used last (its code is compiled), or null. */
    WorkerProcess takeHot() {
        return idle.pollLast();
    }

    /** The worker used least recently, or null: the one to stop first. */
    WorkerProcess takeCold() {
        return idle.pollFirst();
    }

    /** {@code w} just served a request: idle at the hot end. */
    void parkHot(WorkerProcess w) {
        w.idle();
        idle.addLast(w);
    }

    /** A fresh spare goes to the cold end: requests prefer the worker used last, whose code is compiled. */
    void parkCold(WorkerProcess w) {
        w.idle();
        idle.addFirst(w);
    }

    /** Every idle worker, now quitting; the caller tells them outside the lock. */
    List<WorkerProcess> drainIdle() {
        List<WorkerProcess> quit = new ArrayList<>();
        for (WorkerProcess w; (w = idle.pollFirst()) != null; ) {
            w.quitting();
            quit.add(w);
        }
        return quit;
    }

    /** {@code w} no longer waits for requests (it quits). */
    void unpark(WorkerProcess w) {
        idle.remove(w);
    }

    /** {@code w} has exited. */
    void removed(WorkerProcess w) {
        all.remove(w);
        idle.remove(w);
    }

    // ------------------------------------------------------------------ queued jobs

    boolean hasPending() {
        return !pending.isEmpty();
    }

    int pendingCount() {
        return pending.size();
    }

    void queueLast(Job job) {
        pending.addLast(job);
    }

    /** A job that went back to the queue (its worker failed to take it) keeps its place at the front. */
    void queueFirst(Job job) {
        pending.addFirst(job);
    }

    /** The oldest queued job, now out of the queue, or null. */
    Job nextPending() {
        Job job = pending.pollFirst();
        if (job != null) {
            job.dequeued();
        }
        return job;
    }

    /** Takes {@code job} out of the queue; false if it was not queued. */
    boolean unqueue(Job job) {
        return pending.remove(job);
    }

    /** Every queued job, now out of the queue, for the caller to refuse. */
    List<Job> drainPending() {
        List<Job> ended = new ArrayList<>();
        for (Job job; (job = nextPending()) != null; ) {
            ended.add(job);
        }
        return ended;
    }

    @Override
    public String toString() {
        return name();
    }
}
