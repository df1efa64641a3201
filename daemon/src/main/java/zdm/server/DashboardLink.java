package zdm.server;

import zdm.dashboard.DashboardServer;
import zdm.protocol.ErrorKind;
import zdm.protocol.Request;
import zdm.protocol.Response;

/** {@code zdm dashboard [--enable]}: the link of the page, turning it on first when asked. */
final class DashboardLink {
    static final String OFF = "the dashboard is off; turn it on with 'zdm dashboard --enable' or a dashboard: block"
            + " in the ecosystem file (docs/dashboard.md)";

    private DashboardLink() {}

    static Response answer(Request.Dashboard d, DashboardServer dashboard) {
        if (dashboard == null) return Response.Failed.of(ErrorKind.FAILED, "this daemon has no dashboard");
        if (d.enable()) {
            String error = dashboard.enable();
            if (error != null) return Response.Failed.of(ErrorKind.FAILED, error);
        }
        String link = dashboard.link();
        return link == null ? Response.Failed.of(ErrorKind.NOT_FOUND, OFF) : new Response.Done(link);
    }
}
