import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class Payments {
    private static final Logger log = LoggerFactory.getLogger(Payments.class);
    private static final Logger LOGGER = LoggerFactory.getLogger("payments");

    void charge(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // ruleid: java-log-error-drops-stacktrace
            log.error(e.getMessage());
        }
    }

    void refund(Runnable r) {
        try {
            r.run();
        } catch (IllegalStateException ex) {
            // ruleid: java-log-error-drops-stacktrace
            LOGGER.error("refund failed: " + ex.getMessage());
        }
    }

    void good(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // ok: java-log-error-drops-stacktrace
            log.error("charge failed: {}", e.getMessage(), e);
        }
    }

    void good2(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            // ok: java-log-error-drops-stacktrace
            log.warn("bad input: {}", e.getMessage());
        }
    }

    void rethrown(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // ok: java-log-error-drops-stacktrace
            log.error("charge failed: " + e.getMessage());
            throw e;
        }
    }
}
