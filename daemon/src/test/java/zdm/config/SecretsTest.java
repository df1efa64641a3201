package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void namesContainingAMarkerInAnyCaseAreSecret() {
        for (String name : List.of("API_TOKEN", "token", "DB_PASSWORD", "db_pass", "AWS_SECRET_ACCESS_KEY", "apiKey",
                "GOOGLE_APPLICATION_CREDENTIALS", "Passphrase")) {
            assertTrue(Secrets.looksSecret(name), name);
        }
        for (String name : List.of("NODE_ENV", "PORT", "HOME", "LOG_LEVEL", "DATABASE_URL")) {
            assertFalse(Secrets.looksSecret(name), name);
        }
    }

    @Test
    void maskedReplacesOnlySecretValuesAndKeepsTheRestOfTheSpec() {
        var spec = AppSpec.builder("web", List.of("node", "a.js")).cwd("/srv")
                .env(Map.of("API_TOKEN", "t0k", "NODE_ENV", "production")).instances(2).port(8080)
                .source("/srv/eco.yaml").build();
        var masked = Secrets.masked(spec);
        assertEquals(Map.of("API_TOKEN", Secrets.MASK, "NODE_ENV", "production"), masked.process().env());
        assertEquals(spec.withEnv(masked.process().env()), masked);
        assertEquals("t0k", spec.process().env().get("API_TOKEN"), "the original is untouched");
    }
}
