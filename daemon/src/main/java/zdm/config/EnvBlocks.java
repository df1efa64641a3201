package zdm.config;

import java.util.LinkedHashMap;
import java.util.Set;
import java.util.regex.Pattern;
import zdm.config.Node.Entry;
import zdm.config.Node.Mapping;

/**
 * pm2's per-environment blocks: {@code env_production:} beside {@code env:} in an app, chosen with
 * {@code zdm start file --env production} and merged over {@code env}. Every block is validated
 * whether or not it is chosen, so a mistake in {@code env_staging} is found before the day it is used.
 * Stateless.
 */
final class EnvBlocks {
    static final Pattern BLOCK = Pattern.compile("env_([A-Za-z0-9_-]{1,64})");

    private EnvBlocks() {}

    /**
     * The app with its {@code env_*} keys removed and, when {@code selected} names one of them, that
     * block merged over {@code env}. Names of the blocks found are added to {@code seen}.
     */
    static Node apply(Node app, String prefix, String selected, Set<String> seen, Problems problems) {
        if (!(app instanceof Mapping mapping)) return app;
        var kept = new LinkedHashMap<String, Entry>();
        Entry chosen = null;
        boolean chosenValid = false;
        for (var entry : mapping.entries().values()) {
            var m = BLOCK.matcher(entry.key());
            if (!m.matches()) {
                kept.put(entry.key(), entry);
                continue;
            }
            seen.add(m.group(1));
            int before = problems.count();
            ValueReaders.env(entry.value(), new Problems.At(prefix + "." + entry.key(), problems));
            if (m.group(1).equals(selected)) {
                chosen = entry;
                chosenValid = problems.count() == before;
            }
        }
        if (chosen == null || !chosenValid) return new Mapping(kept, mapping.pos());
        var base = kept.get("env");
        if (base != null && !(base.value() instanceof Mapping)) return new Mapping(kept, mapping.pos()); // env: reports it
        var merged = new LinkedHashMap<String, Entry>();
        if (base != null) merged.putAll(((Mapping) base.value()).entries());
        merged.putAll(((Mapping) chosen.value()).entries());
        var envPos = base != null ? base.value().pos() : chosen.value().pos();
        var keyPos = base != null ? base.keyPos() : chosen.keyPos();
        kept.put("env", new Entry("env", keyPos, new Mapping(merged, envPos)));
        return new Mapping(kept, mapping.pos());
    }
}
