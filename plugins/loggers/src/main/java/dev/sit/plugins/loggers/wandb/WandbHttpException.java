package dev.sit.plugins.loggers.wandb;

/**
 * A W&B request that failed for good: a status that is not retried, a GraphQL {@code errors}
 * answer, or retries used up. The message names the request and the server's reason; it never
 * contains credentials.
 */
public final class WandbHttpException extends Exception {

    private final int status;

    public WandbHttpException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, 200 for a GraphQL error answer, or 0 when the server was not reached. */
    public int status() {
        return status;
    }
}
