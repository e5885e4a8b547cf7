package io.portside.policy.address;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads list values from a component configuration, whether a {@code .cfg} gave a comma-separated string or a typed array. */
final class ConfigValues {

    private ConfigValues() {
    }

    /** The items of {@code key}: split on commas and white space; empty when the key is absent or blank. */
    static List<String> list(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        Collection<?> parts = value instanceof Object[] array ? List.of(array)
                : value instanceof Collection<?> c ? c : List.of(value);
        for (Object part : parts) {
            for (String item : String.valueOf(part).split("[,\\s]+")) {
                if (!item.isEmpty()) {
                    items.add(item);
                }
            }
        }
        return items;
    }
}
