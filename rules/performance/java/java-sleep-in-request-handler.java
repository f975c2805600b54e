import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.util.concurrent.ExecutorService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class Api {
    private final ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);

    @GetMapping("/slow/{id}")
    String slow(@PathVariable String id) throws InterruptedException {
        // ruleid: java-sleep-in-request-handler
        Thread.sleep(1000);
        return id;
    }

    @GetMapping("/bg")
    String background() {
        pool.submit(() -> {
            try {
                // ok: java-sleep-in-request-handler
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return "accepted";
    }

    void worker() throws InterruptedException {
        // ok: java-sleep-in-request-handler
        Thread.sleep(1000);
    }
}

class Page extends HttpServlet {
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        try {
            // ruleid: java-sleep-in-request-handler
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
