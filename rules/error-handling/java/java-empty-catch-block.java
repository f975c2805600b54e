import java.io.Closeable;
import java.io.IOException;

class Catches {
    void run(Runnable r) {
        // ruleid: java-empty-catch-block
        try {
            r.run();
        } catch (Exception e) {}
    }

    void waitFor(Thread t) {
        // ruleid: java-empty-catch-block
        try {
            t.join(1000);
        } catch (InterruptedException e) {
        }
    }

    int parse(String s) {
        int v = 0;
        // ok: java-empty-catch-block
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
        }
        return v;
    }

    void ok1(Runnable r) {
        // ok: java-empty-catch-block
        try {
            r.run();
        } catch (Exception ignored) {
        }
    }

    void ok2(Runnable r) {
        // ok: java-empty-catch-block
        try {
            r.run();
        } catch (Exception e) {
            // already stopped: nothing left to do
        }
    }

    void ok3(Closeable c) {
        // ok: java-empty-catch-block
        try {
            c.close();
        } catch (Exception e) {
        }
    }

    static void closeQuietly(Runnable r) {
        // ok: java-empty-catch-block
        try {
            r.run();
        } catch (Throwable t) {
        }
    }
}
