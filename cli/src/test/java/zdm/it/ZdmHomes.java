package zdm.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a fresh {@link ZdmHome} and closes it (its daemon and every tagged worker stopped) once
 * the test is over: {@code @ExtendWith(ZdmHomes.class)} on the class, a {@code ZdmHome} parameter on a
 * {@code @BeforeEach} (one home per test) or a static {@code @BeforeAll} (one for the class). The home
 * closes after the class's own {@code @AfterEach}/{@code @AfterAll} methods, so a tear-down that must
 * act first (thaw a stopped process) still can, even when the test or its set-up failed.
 */
public final class ZdmHomes implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ZdmHomes.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ZdmHome.class;
    }

    @Override
    public ZdmHome resolveParameter(ParameterContext parameter, ExtensionContext context) {
        try {
            var home = new ZdmHome();
            // The store closes what it holds when the scope that asked for it (the test, or the class) ends.
            context.getStore(NAMESPACE).put(home.tag, home);
            return home;
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot create a zdm home: " + e, e);
        }
    }
}
