import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class UserController {
    private final UserRepository userRepository;

    UserController(UserRepository r) { userRepository = r; }

    @GetMapping("/users")
    List<User> all() {
        // ruleid: java-findall-in-controller
        return userRepository.findAll();
    }

    @GetMapping("/users/count")
    int count() {
        // ruleid: java-findall-in-controller
        return this.userRepository.findAll().size();
    }

    @GetMapping("/users/page")
    Page<User> page(Pageable pageable) {
        // ok: java-findall-in-controller
        return userRepository.findAll(pageable);
    }
}

class ReportJob {
    private UserRepository userRepository;

    void run() {
        // ok: java-findall-in-controller
        userRepository.findAll();
    }
}

record User(String name) {}

interface UserRepository {
    List<User> findAll();
    Page<User> findAll(Pageable p);
}
