/**
 * Code the policy bundles share. It is not a bundle that anyone imports: bnd embeds the classes a policy bundle uses
 * into that bundle privately ({@code -conditionalpackage}), so policy bundles still import only the handler API and
 * export nothing.
 */
package io.portside.policy.support;
