package io.portside.server.host.internal;

import java.util.List;

/** Works out the policy chain a listener consults from the policies registered now. No OSGi needed. */
final class PolicyChains {

    private PolicyChains() {
    }

    /**
     * The policies a listener consults: those its {@code policy.target} filter matches, plus those it names in
     * {@code policy.required}, highest ranking first. A required one that is missing makes the chain reject
     * everything, so a listener never serves with a weaker chain than it asked for.
     *
     * @param policies every policy registered now
     */
    static PolicyChain chainFor(ListenerSpec spec, List<PolicyCandidate> policies) {
        if (spec.policyFilter() == null && spec.requiredPolicies().isEmpty()) {
            return PolicyChain.NONE;
        }
        List<PolicyChain.NamedPolicy> chain = policies.stream()
                .filter(p -> spec.policyFilter() != null && p.matches(spec.policyFilter()) || spec.requiredPolicies().contains(p.name()))
                .sorted(PolicyCandidate.FIRST_CONSULTED)
                .map(p -> new PolicyChain.NamedPolicy(p.name(), p.policy()))
                .toList();
        List<String> present = chain.stream().map(PolicyChain.NamedPolicy::name).toList();
        List<String> missing = spec.requiredPolicies().stream().filter(n -> !present.contains(n)).toList();
        return new PolicyChain(true, chain, missing);
    }
}
