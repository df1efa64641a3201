package zdm.protocol;

import java.util.List;

/** What {@code zdm describe} shows: the resolved config, the workers, log paths and recent events. */
public record AppDetail(AppView view, SpecView spec, String outLog, String errLog, List<EventView> events) {
    public AppDetail {
        events = List.copyOf(events);
    }
}
