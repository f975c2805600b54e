import java.util.concurrent.*;
import org.springframework.stereotype.Service;

@Service
class Waits {
    String bad(ExecutorService pool) throws Exception {
        Future<String> f = pool.submit(() -> "x");
        // ruleid: java-blocking-wait-no-timeout
        return f.get();
    }

    void bad2(int n) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(n);
        // ruleid: java-blocking-wait-no-timeout
        latch.await();
    }

    String good(ExecutorService pool) throws Exception {
        Future<String> f = pool.submit(() -> "x");
        // ok: java-blocking-wait-no-timeout
        return f.get(5, TimeUnit.SECONDS);
    }

    boolean good2(CountDownLatch latch) throws InterruptedException {
        // ok: java-blocking-wait-no-timeout
        return latch.await(30, TimeUnit.SECONDS);
    }

    String good3(Future<String> f) throws Exception {
        if (f.isDone()) {
            // ok: java-blocking-wait-no-timeout
            return f.get();
        }
        return null;
    }
}

class Daemon {
    void runUntilShutdown(CountDownLatch shutdown) throws InterruptedException {
        // ok: java-blocking-wait-no-timeout
        shutdown.await();
    }
}
