// A Spring Boot web app (embedded Tomcat) for zdm behind its proxy: application.properties binds the
// private PORT and asks for a graceful shutdown, which Spring's shutdown hook runs on SIGTERM.
package example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class WebApp {
    @GetMapping("/")
    String hello() {
        return "spring pid " + ProcessHandle.current().pid() + "\n";
    }

    public static void main(String[] args) {
        SpringApplication.run(WebApp.class, args);
    }
}
