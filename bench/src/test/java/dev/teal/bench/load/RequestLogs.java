package dev.teal.bench.load;

/** Builds request logs by hand for analysis tests (the log's writers are the client's own). */
public final class RequestLogs {
    private RequestLogs() {}

    public static RequestLog of(Schedule schedule) {
        return new RequestLog(schedule);
    }

    public static void answer(RequestLog log, int i, long sentNanos, long answeredNanos, int status, String color) {
        log.sent(i, sentNanos);
        log.answered(i, answeredNanos, status, color);
    }

    public static void fail(RequestLog log, int i, long sentNanos, long atNanos) {
        log.sent(i, sentNanos);
        log.failed(i, atNanos, RequestLog.Failure.CLOSED);
    }
}
