import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

class SecurityConfig {
    @Bean
    SecurityFilterChain open(HttpSecurity http) throws Exception {
        http.csrf(c -> c.disable())
            // ruleid: java-spring-permit-all-requests
            .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    SecurityFilterChain legacy(HttpSecurity http) throws Exception {
        // ruleid: java-spring-permit-all-requests
        http.authorizeRequests().antMatchers("/**").permitAll();
        return http.build();
    }

    @Bean
    SecurityFilterChain good(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
            // ok: java-spring-permit-all-requests
            .requestMatchers("/actuator/health", "/login").permitAll()
            // ok: java-spring-permit-all-requests
            .anyRequest().authenticated());
        return http.build();
    }
}
