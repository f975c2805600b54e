import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@Service
class OrderService {
    void place(String id) {
        // ruleid: java-system-out-in-service
        System.out.println("placing order " + id);
    }
}

class Hello extends HttpServlet {
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        // ruleid: java-system-out-in-service
        System.err.printf("GET %s%n", req.getRequestURI());
    }
}

@RestController
class Api {
    private static final Logger log = LoggerFactory.getLogger(Api.class);

    @GetMapping("/ping")
    String ping() {
        // ok: java-system-out-in-service
        log.info("ping");
        return "pong";
    }
}

class Cli {
    public static void main(String[] args) {
        // ok: java-system-out-in-service
        System.out.println("usage: cli <file>");
    }
}
