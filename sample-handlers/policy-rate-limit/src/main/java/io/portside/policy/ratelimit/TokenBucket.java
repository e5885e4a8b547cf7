package io.portside.policy.ratelimit;

/**
 * One client's token bucket: it holds up to {@code burst} tokens, gains {@code perSecond} tokens a second, and each
 * request takes one. Time is passed in (nanoseconds, {@link System#nanoTime()} scale), so the arithmetic is testable.
 * Not thread-safe: {@link RateLimiter} guards it.
 */
final class TokenBucket {

    private double tokens;
    private long updatedNanos;

    /** A full bucket: a client never seen before may burst at once. */
    TokenBucket(Rate rate, long nowNanos) {
        this.tokens = rate.burst();
        this.updatedNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(Rate rate, long nowNanos) {
        refill(rate, nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** True once the bucket has refilled completely: forgetting it changes nothing for its client. */
    boolean isIdle(Rate rate, long nowNanos) {
        return tokens + elapsedTokens(rate, nowNanos) >= rate.burst();
    }

    private void refill(Rate rate, long nowNanos) {
        tokens = Math.min(rate.burst(), tokens + elapsedTokens(rate, nowNanos));
        updatedNanos = Math.max(updatedNanos, nowNanos);
    }

    private double elapsedTokens(Rate rate, long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        return elapsed <= 0 ? 0 : elapsed * rate.perSecond() / 1e9;
    }
}
