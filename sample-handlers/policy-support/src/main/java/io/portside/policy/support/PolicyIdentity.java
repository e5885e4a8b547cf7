package io.portside.policy.support;

import java.util.Map;

/**
 * Who a policy instance is, for log lines: its name ({@code portside.policy}: the configuration's value, else the
 * type's name) and the configuration file it comes from.
 */
public record PolicyIdentity(String type, String name, String source, String configurationName) {

    public static PolicyIdentity of(String type, Map<String, ?> properties) {
        Object name = properties.get("portside.policy");
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        return new PolicyIdentity(type, name == null ? type : name.toString(), source(properties),
                tilde < 0 ? null : pid.substring(tilde + 1));
    }

    /** The configuration file (FileInstall records it), else the configuration's PID. */
    private static String source(Map<String, ?> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String f = file.toString();
            return f.substring(f.lastIndexOf('/') + 1);
        }
        Object pid = properties.get("service.pid");
        return pid == null ? "its configuration" : pid.toString();
    }

    /** {@code office (address, from io.portside.policy.address-office.cfg)}. */
    public String describe() {
        return name + " (" + type + ", from " + source + ")";
    }

    /**
     * A hint for a named configuration file that does not name its policy: {@code -office.cfg} alone does not make
     * the policy {@code office}, and listeners that ask for {@code office} would fail closed.
     */
    public String namingHint() {
        if (configurationName != null && name.equals(type) && !configurationName.equals(type)) {
            return "; add portside.policy=" + configurationName + " to " + source + " to name it " + configurationName;
        }
        return "";
    }
}
