import java.util.ArrayList;
import java.util.List;

class OrderService {
    private final CustomerRepository customerRepository;
    private final ItemRepository itemRepo;

    OrderService(CustomerRepository c, ItemRepository i) {
        customerRepository = c;
        itemRepo = i;
    }

    List<String> names(List<Order> orders) {
        List<String> out = new ArrayList<>();
        for (Order o : orders) {
            // ruleid: java-repository-call-in-loop
            out.add(customerRepository.findById(o.customerId).map(Customer::name).orElse("?"));
        }
        return out;
    }

    void counts(List<Order> orders) {
        orders.forEach(o -> {
            // ruleid: java-repository-call-in-loop
            long n = itemRepo.countByOrderId(o.id);
        });
    }

    List<Customer> good(List<Long> ids) {
        // ok: java-repository-call-in-loop
        return customerRepository.findAllById(ids);
    }

    void good2(List<Order> orders) {
        for (Order o : orders) {
            // ok: java-repository-call-in-loop
            o.customerId.toString();
        }
        // ok: java-repository-call-in-loop
        itemRepo.findByOrderIdIn(List.of(1L, 2L));
    }

    record Order(Long id, Long customerId) {}
    record Customer(String name) {}
    interface CustomerRepository {
        java.util.Optional<Customer> findById(Long id);
        List<Customer> findAllById(Iterable<Long> ids);
    }
    interface ItemRepository {
        long countByOrderId(Long id);
        List<Object> findByOrderIdIn(List<Long> ids);
    }
}
