package io.portside.handler.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a {@link RequestPolicy} component ({@code portside.policy}), so that listener configurations can
 * attach it by filter, for example {@code policy.target=(portside.policy=address)}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PolicyName {

    /** The property name. */
    String PREFIX_ = "portside.";

    /** {@code portside.policy}: the policy's name. */
    String policy();
}
