package dev.teal.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What happened to every request of an open-loop run, indexed by request number: when it was actually sent, when its
 * answer ended, its status, the color that answered ({@code X-Color}), or why it failed. Written by the client's one
 * event-loop thread; read after the run.
 */
public final class RequestLog {
    /** Why a request has no answer. */
    public enum Failure { NONE, CLOSED, TIMEOUT, UNFINISHED }

    private final Schedule schedule;
    private final long[] sent;
    private final long[] answered;
    private final short[] status;
    private final byte[] color;
    private final byte[] failure;
    private final byte[] retries;
    private final List<String> colors = new ArrayList<>();

    RequestLog(Schedule schedule) {
        this.schedule = schedule;
        int n = schedule.count();
        sent = new long[n];
        answered = new long[n];
        status = new short[n];
        color = new byte[n];
        failure = new byte[n];
        retries = new byte[n];
        Arrays.fill(color, (byte) -1);
    }

    public Schedule schedule() {
        return schedule;
    }

    public int count() {
        return schedule.count();
    }

    void sent(int i, long nanos) {
        sent[i] = nanos;
    }

    void answered(int i, long nanos, int httpStatus, String colorName) {
        answered[i] = nanos;
        status[i] = (short) httpStatus;
        color[i] = (byte) colorIndex(colorName);
    }

    void failed(int i, long nanos, Failure why) {
        answered[i] = nanos;
        failure[i] = (byte) why.ordinal();
    }

    /** Marks one retry of request {@code i}; returns false when it was already retried once. */
    boolean retry(int i) {
        if (retries[i] > 0) {
            return false;
        }
        retries[i]++;
        return true;
    }

    boolean done(int i) {
        return answered[i] != 0;
    }

    private int colorIndex(String name) {
        if (name == null) {
            return -1;
        }
        int at = colors.indexOf(name);
        if (at < 0) {
            colors.add(name);
            at = colors.size() - 1;
        }
        return at;
    }

    public long sentNanos(int i) {
        return sent[i];
    }

    public long answeredNanos(int i) {
        return answered[i];
    }

    public int status(int i) {
        return status[i];
    }

    /** The color that answered, or null (failed, or no {@code X-Color} header). */
    public String color(int i) {
        return color[i] < 0 ? null : colors.get(color[i]);
    }

    public Failure failure(int i) {
        return Failure.values()[failure[i]];
    }

    public boolean retried(int i) {
        return retries[i] > 0;
    }

    /** Answered with a 2xx status. */
    public boolean ok(int i) {
        return failure[i] == 0 && status[i] >= 200 && status[i] < 300;
    }

    /** Latency from the intended send time, for an answered request. */
    public long latencyNanos(int i) {
        return schedule.latencyNanos(i, answered[i]);
    }
}
